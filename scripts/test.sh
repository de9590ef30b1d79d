#!/usr/bin/env bash
# The test command (README): installs what the tests need, then runs every module's tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use. Under CI (CI=true) a test whose package is missing fails; elsewhere it is
# skipped with a reason. As root they are installed here, all with one apt-get call.
#   dataset-fashion-mnist        the Fashion-MNIST data tests
#   python3-scipy                the statistics compared with a live SciPy
#   python3-numpy python3-torch  the PyTorch interop tests (engine: TorchInteropTest, the examples)
#   chromium                     the reports' real-browser test
packages=(dataset-fashion-mnist python3-scipy python3-numpy python3-torch chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's ${missing[*]} for the tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "note: tests that need ${missing[*]} will be skipped; install with: sudo apt-get install ${missing[*]}"
  fi
fi

exec mvn -B -ntp verify "$@"
