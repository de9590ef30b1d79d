#!/usr/bin/env bash
# The machine's FMA peak (issue 13): independent chains of 512-bit fused multiply-adds (256-bit AVX2 where
# the CPU has no AVX-512), GFLOP/s on 1 and 2 threads, measured by a C loop (bench/fma/fma_peak.c, built
# with gcc into bench/target/fma_peak) and by a Java Vector API loop (octoquant.bench.FmaPeak in
# bench/target/benchmarks.jar), then the higher of the two 2-thread figures as the peak.
#
#   bash bench/fma-peak.sh [SECONDS_PER_RUN]        (default 0.3; each figure is the best of 5 runs)
#
# Prints the CPU (family, model, model name from /proc/cpuinfo) and lines "fma c|java gflops_1thread|
# gflops_2threads <value>", then "fma peak gflops_2threads <value>" and which loop gave it. A side that
# cannot run (no gcc, no jar) is skipped with a note. Environment: JAVA (default: java on PATH), CC (gcc).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_RUN="${1:-0.3}"
JAVA="${JAVA:-java}"
CC="${CC:-gcc}"
JAR="${OCTOQUANT_BENCH_JAR:-$REPO/bench/target/benchmarks.jar}"
BIN="$REPO/bench/target/fma_peak"
SRC="$REPO/bench/fma/fma_peak.c"
[[ "$SECONDS_PER_RUN" =~ ^[0-9]*\.?[0-9]+$ ]] || { echo "fma-peak.sh: SECONDS_PER_RUN must be a positive number, got '$SECONDS_PER_RUN'" >&2; exit 2; }

out="$(mktemp "${TMPDIR:-/tmp}/fma-peak.XXXXXX")"
trap 'rm -f "$out"' EXIT

if [[ ! -x "$BIN" || "$SRC" -nt "$BIN" ]]; then
  if command -v "$CC" > /dev/null; then
    mkdir -p "$(dirname "$BIN")"
    "$CC" -O2 -Wall -pthread -o "$BIN.tmp" "$SRC" && mv "$BIN.tmp" "$BIN"
  else
    echo "# NOTE: no C compiler ($CC): the C loop is skipped"
  fi
fi
[[ -x "$BIN" ]] && "$BIN" "$SECONDS_PER_RUN" | tee -a "$out"
if [[ -f "$JAR" ]]; then
  "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" octoquant.bench.FmaPeak "$SECONDS_PER_RUN" 2>&1 \
    | grep -v '^WARNING: Using incubator modules' | grep -v '^# CPU:' | tee -a "$out"
else
  echo "# NOTE: $JAR is missing (mvn -B -ntp -pl bench -am package -DskipTests): the Java loop is skipped"
fi
awk '$1 == "fma" && $3 == "gflops_2threads" && $4 + 0 > best { best = $4 + 0; who = $2 }
     END { if (who != "") printf "fma peak gflops_2threads %.1f\n# the peak: the %s loop, the higher of the two\n", best, who }' "$out"
