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
  python3-yaml  # notebooks/sizing.ipynb reads scenario.resolved.yaml
  # the ctest that opens `dlsim report`'s page in a real browser (tests/report/)
  chromium
  # tests/sweep/k8s/: the Indexed Job's schema check runs on node, its npm packages installed
  # by `npm ci` in the build tree (tests/sweep/k8s/npm_ci.cmake, a ctest fixture)
  nodejs
  # promtool, for the ctest that backfills `dlsim export-metrics` output (tests/openmetrics/):
  # prometheus (2.42) brings 12 packages, 22 MB to download, 316 MiB installed (prometheus
  # 94 MiB, its web UI's libjs-moment-timezone 213 MiB). On a systemd machine its postinst
  # also starts a Prometheus server on :9090 (`systemctl disable --now prometheus` stops it)
  prometheus
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian packages npm apart from nodejs (another build of nodejs may bundle it)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "setup: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
