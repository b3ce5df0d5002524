# The two commands of the README's quick start, and their parts.
#   make run   — install dependencies, build, simulate the FDR into runs/fdr/
#   make test  — install dependencies, build, run the whole test suite
#   make bench — bench/run: build Release, then one table of every performance target
#                (figures, not tests; see bench/README.md; build/bench/{fdr,floor,linearity}
#                answer narrower questions)
#   make fdr-baseline — regenerate scenarios/fdr.sizing.csv from a fresh FDR run (docs/ci.md)
#   make sanitize — the whole test suite built with ASan + UBSan, in build-asan (docs/sanitizers.md)
#   make fuzz — the libFuzzer targets of fuzz/, FUZZ_SECONDS each, also in build-asan (same doc)
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= 2
FUZZ_SECONDS ?= 60

.PHONY: run test bench setup build format clean fdr-baseline sanitize fuzz

run: build
	./$(BUILD)/dlsim run scenarios/fdr.yaml -o runs/fdr

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: setup
	BUILD=$(BUILD) JOBS=$(JOBS) bench/run

fdr-baseline:
	./$(BUILD)/dlsim run scenarios/fdr.yaml -q -o $(BUILD)/fdr-baseline
	cp $(BUILD)/fdr-baseline/sizing.csv scenarios/fdr.sizing.csv

setup:
	bash scripts/setup.sh

build: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# ASan + UBSan and libFuzzer share one clang build (build-asan): DLSIM_FUZZ implies the
# sanitizers, and its coverage instrumentation costs the tests little, so CI compiles once.
# -O1 -gline-tables-only: what ASan's documentation recommends, line numbers in every report,
# and the quickest instrumented compile (-O2 -g costs more than a third more on a busy machine).
SANITIZE_CMAKE = cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_CXX_COMPILER=clang++ \
  -DDLSIM_FUZZ=ON -DDLSIM_BUILD_BENCH=OFF $(CMAKE_FLAGS)

# SANITIZE_TESTS / SANITIZE_EXCLUDE: ctest -R / -E patterns; both empty run the whole suite,
# as CI does (every whole-day scenario runs on SimGrid's thread contexts under ASan, pinned to
# one CPU each: docs/sanitizers.md has the figures).
SANITIZE_TESTS ?=
SANITIZE_EXCLUDE ?=
sanitize: setup
	$(SANITIZE_CMAKE)
	cmake --build build-asan -j $(JOBS)
	ctest --test-dir build-asan --output-on-failure -j $(JOBS) \
	  $(if $(SANITIZE_TESTS),-R '$(SANITIZE_TESTS)') $(if $(SANITIZE_EXCLUDE),-E '$(SANITIZE_EXCLUDE)')

fuzz: setup
	$(SANITIZE_CMAKE)
	cmake --build build-asan -j $(JOBS) --target fuzz_scenario fuzz_set
	fuzz/run build-asan $(FUZZ_SECONDS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD)
