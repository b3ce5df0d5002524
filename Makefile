# The two commands of the README's quick start, and their parts.
#   make run   — install dependencies, build, simulate the FDR into runs/fdr/
#   make test  — install dependencies, build, run the whole test suite
#   make bench — bench/run: build Release, then one table of every performance target
#                (figures, not tests; see bench/README.md; build/bench/{fdr,floor,linearity}
#                answer narrower questions)
#   make fdr-baseline — regenerate scenarios/fdr.sizing.csv from a fresh FDR run (docs/ci.md)
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= 2

.PHONY: run test bench setup build format clean fdr-baseline

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

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD)
