#!/usr/bin/env bash
# Measures the smallest -Xmx (to 4 MB) with which each of a set of runs completes, next to what the up-front
# memory check estimates for it (experiments/README.md, "Faults"). The check is switched off for the
# measured runs (-Doctoquant.memoryCheck=false) and on for the estimate (a run with -Xmx8m is refused with
# the estimate in its message). Usage: bash scripts/calibrate-memory.sh [DATA_ROOT]   (default /work/shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-/work/shared/datasets}"
jar=experiments/target/experiments.jar
[ -f "$jar" ] || { echo "build first: mvn -B -ntp -q -pl experiments -am verify -DskipTests" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

runs=(
  "regression --epochs 1 --seeds 1 --methods float"
  "mnist --epochs 1 --seeds 1 --methods float --limit-train 1000 --limit-test 500"
  "mnist --epochs 1 --seeds 1 --methods octal8 --limit-train 1000 --limit-test 500"
  "mnist --epochs 1 --seeds 1 --methods float --batch-size 8192 --limit-train 8192 --limit-test 500"
  "mnist --epochs 1 --seeds 1 --methods float --batch-size 16384 --limit-train 16384 --limit-test 500"
  "mnist --epochs 1 --seeds 1 --methods float --model cnn --limit-train 512 --limit-test 256"
  "mnist --epochs 1 --seeds 1 --methods float --model cnn --batch-size 256 --limit-train 256 --limit-test 256"
  "mnist --epochs 1 --seeds 1 --methods float --model cnn --batch-size 512 --limit-train 512 --limit-test 256"
  "mnist --epochs 1 --seeds 1 --methods float --model cnn --batch-size 1024 --limit-train 1024 --limit-test 256"
  "mnist --epochs 1 --seeds 1 --methods octal8 --mode storage --model cnn --batch-size 512 --limit-train 512 --limit-test 256"
)

completes() { # completes MB ARGS...
  local mb=$1; shift
  rm -rf "$tmp/out"
  java --add-modules jdk.incubator.vector -Xmx"${mb}m" -Doctoquant.memoryCheck=false -jar "$jar" "$@" \
    --data "$data" --out "$tmp/out" >"$tmp/log" 2>&1
}

printf '%-120s %9s %9s\n' "run" "needs MB" "estimate"
for r in "${runs[@]}"; do
  read -r -a args <<<"$r"
  lo=4 hi=64
  while ! completes "$hi" "${args[@]}"; do lo=$hi; hi=$((hi * 2)); done
  while [ $((hi - lo)) -gt 4 ]; do
    mid=$(((lo + hi) / 2))
    if completes "$mid" "${args[@]}"; then hi=$mid; else lo=$mid; fi
  done
  rm -rf "$tmp/out"
  estimate=$(java --add-modules jdk.incubator.vector -Xmx8m -jar "$jar" "${args[@]}" --data "$data" --out "$tmp/out" 2>&1 \
    | sed -n 's/.* needs about \([0-9.]* [MG]B\).*/\1/p' || true)
  printf '%-120s %9s %9s\n' "$r" "$hi" "$estimate"
done
