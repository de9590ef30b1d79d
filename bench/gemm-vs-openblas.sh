#!/usr/bin/env bash
# Side by side, alternating: OpenBLAS sgemm (Debian's libopenblas0-pthread) vs our Vector API GEMM, EJML
# and our scalar backend, square NN sizes, 1 and 2 threads. Prints GFLOP/s per wall second and per CPU
# second (what each achieves while it holds the cores: the fairer figure on a shared, loaded machine).
# Then the GEMM shapes the reference models run at batch 64 (1 thread), OpenBLAS vs ours, and with
# 'transposed' (or 'all') the transposed variants TN, NT and TT at 512 and 1024, 1 and 2 threads.
# Usage: bench/gemm-vs-openblas.sh [rounds] [seconds-per-run] [java] [squares|models|transposed|all]
#        (after: mvn -B -ntp -pl bench -am package -DskipTests)
# With BASELINE_JAR=<an older benchmarks.jar> in the environment, that build's GEMM runs right after ours
# on every vector line (printed as "baseline-vector(...)"), for before/after ratios taken side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
SECS=${2:-2}
JAVA=${3:-java}
WHAT=${4:-all}
case "$WHAT" in
  squares|models|transposed|all) ;;
  *) echo "gemm-vs-openblas.sh: the 4th argument is squares, models, transposed or all, got '$WHAT'" >&2; exit 2 ;;
esac
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -pl bench -am package -DskipTests" >&2; exit 1; }
LIB=/usr/lib/x86_64-linux-gnu/libopenblas.so.0
if [ ! -e "$LIB" ]; then
  echo "OpenBLAS missing: sudo apt-get install libopenblas0-pthread (runs the Java side only)" >&2
  LIB=
fi
if [ -n "$LIB" ]; then
  gcc -O2 -o bench/target/sgemm_bench bench/openblas/sgemm_bench.c "$LIB"
fi
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this workplace for old builds; they would pin a
# slower kernel, so they are unset for this benchmark only.
# ob THREADS VARIANT M N K ; jv BACKEND THREADS VARIANT M N K
ob() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$1" bench/target/sgemm_bench "$2" "$3" "$4" "$5" "$SECS"; }
jv() {
  "$JAVA" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx2g -cp "$JAR" octoquant.bench.GemmCpuTime "$1" "$3" "$4" "$5" "$6" "$SECS" "$2" 2>/dev/null
  if [ -n "${BASELINE_JAR:-}" ] && [ "$1" = vector ]; then
    "$JAVA" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx2g -cp "$BASELINE_JAR" octoquant.bench.GemmCpuTime "$1" "$3" "$4" "$5" "$6" "$SECS" "$2" 2>/dev/null | sed 's/^/baseline-/'
  fi
}
MODEL_SHAPES="NT:64:128:784 TN:128:784:64 NN:64:128:10 NN:32:1024:27 NT:32:27:1024 NN:64:256:288 NT:64:288:256 TN:288:256:64 NT:64:64:4096 TN:64:4096:64 NN:64:4096:64"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg); java: $("$JAVA" -version 2>&1 | head -1)"
for round in $(seq 1 "$ROUNDS"); do
  if [ "$WHAT" = squares ] || [ "$WHAT" = all ]; then
    for size in 256 512 1024; do
      for t in 1 2; do
        [ -n "$LIB" ] && ob "$t" NN "$size" "$size" "$size"
        jv vector "$t" NN "$size" "$size" "$size"
      done
      if [ "$round" = 1 ]; then
        jv ejml 1 NN "$size" "$size" "$size"
        jv scalar 1 NN "$size" "$size" "$size"
      fi
    done
  fi
  if [ "$WHAT" = transposed ] || [ "$WHAT" = all ]; then
    for v in TN NT TT; do
      for size in 512 1024; do
        for t in 1 2; do
          [ -n "$LIB" ] && ob "$t" "$v" "$size" "$size" "$size"
          jv vector "$t" "$v" "$size" "$size" "$size"
        done
      done
    done
  fi
  if [ "$WHAT" = models ] || [ "$WHAT" = all ]; then
    for shape in $MODEL_SHAPES; do
      IFS=: read -r v m n k <<<"$shape"
      [ -n "$LIB" ] && ob 1 "$v" "$m" "$n" "$k"
      jv vector 1 "$v" "$m" "$n" "$k"
    done
  fi
done
