#!/usr/bin/env bash
# Installs dlsim's build dependencies from Debian packages (idempotent).
# Usage: scripts/setup.sh   (as root, or with sudo available)
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format
  libsimgrid-dev libboost-graph-dev libyaml-cpp-dev nlohmann-json3-dev
  libeigen3-dev libfmt-dev catch2 libcli11-dev libssl-dev
  # notebooks/ and their ctest (run with /usr/bin/python3): 97 packages, 278 MiB installed
  python3-pandas python3-matplotlib python3-nbconvert python3-ipykernel
  # make fuzz: clang with libFuzzer and the sanitizer runtimes (docs/sanitizers.md); make
  # sanitize uses g++'s ASan/UBSan runtimes (libasan8, libubsan1), which build-essential brings
  clang libclang-rt-14-dev
  # the ctest that opens `dlsim report`'s page in a real browser (tests/report/)
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "setup: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
