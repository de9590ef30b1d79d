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

# The reports' real-browser test needs Debian's chromium (skipped without it, except under CI where that fails).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the reports' browser test"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: the reports' browser test will be skipped; install chromium with: sudo apt-get install chromium"
  fi
fi

exec mvn -B -ntp verify "$@"
