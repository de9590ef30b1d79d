#!/usr/bin/env bash
# The test command (README): installs what the tests need, then runs every module's tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Fashion-MNIST comes from Debian's package; the data tests need it (and fail under CI without it).
if ! dpkg -s dataset-fashion-mnist >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's dataset-fashion-mnist for the data tests"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
  else
    echo "note: Fashion-MNIST tests will be skipped; install it with: sudo apt-get install dataset-fashion-mnist"
  fi
fi

# The PyTorch interop tests (engine, TorchInteropTest) need Debian's NumPy and PyTorch (and fail under CI without them).
if ! dpkg -s python3-numpy python3-torch >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's python3-numpy and python3-torch for the PyTorch interop tests"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-torch >/dev/null
  else
    echo "note: PyTorch interop tests will be skipped; install them with: sudo apt-get install python3-numpy python3-torch"
  fi
fi

exec mvn -B -ntp verify "$@"
