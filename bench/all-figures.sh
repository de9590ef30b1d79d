#!/usr/bin/env bash
# Every figure of bench/RESULTS.md in one go (issue 6), each run's output kept under
# bench/results-raw/<stamp>-<part>.txt with the date, load average and JDK at its top.
#
#   bash bench/all-figures.sh [PART...]     (default: all parts, in this order; about 15 minutes idle)
#
# Parts:
#   torch17   bench/compare-pytorch.sh --rounds 2 on JDK 17: octoquant, PyTorch 1.13 and PyTorch 2.7.1 (DJL),
#             MLP and CNN epoch, inference, peak RSS, the FMA peak and the training GFLOP/s
#   torch25   the same on Temurin 25 (TEMURIN, default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   fma       bench/fma-peak.sh: the machine's FMA peak, C and Java loops, 1 and 2 threads
#   memory    TrainEpoch --model cnn with the JVM's default heap, -Xmx1g, -Xmx768m, and -Xmx1g and -Xmx1200m
#             with the parallel collector (1200m: compare-pytorch.sh's default JAVA_OPTS), under
#             /usr/bin/time -v (peak RSS seen from outside the process as well)
#   quant     QatStepRace / QuantInferenceRace per scheme (qat training and weight-only inference vs float,
#             one scheme per JVM), QuantRace integer inference vs float (MLP, CNN)
#   gc        JMH TrainStepBenchmark -prof gc (allocation per training step and per inference batch)
#   gemm      bench/gemm-vs-openblas.sh 1 round, 2 s per run (squares and the models' shapes)
#   profile   where the time goes: JFR samples of a CNN and an MLP TrainEpoch (12,800 training images)
#             and of the MLP's qat int8 training and int8-pc weight-only inference races, by bench/jfr-top.py
# Build first: mvn -B -ntp -pl bench -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "all-figures.sh: $JAR is missing; build it: mvn -B -ntp -pl bench -am package -DskipTests" >&2; exit 1; }
JAVA=${JAVA:-java}
TEMURIN=${TEMURIN:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
STAMP=$(date -u +%Y%m%dT%H%M)
RAW=bench/results-raw
mkdir -p "$RAW"
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(torch17 torch25 fma memory quant gc gemm profile)

header() { echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg); java: $("$1" -version 2>&1 | head -1)"; echo "# command: $2"; }
jrun() { "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" "$@" 2>&1 | grep -v '^WARNING: Using incubator modules'; }

# OMP_WAIT_POLICY (unset: GNU OpenMP's default spinning, issue 6's setting) is passed through to torch;
# on a busy machine PASSIVE keeps torch's threads from thrashing (bench/torch/README.md).
part_torch17() { header "$JAVA" "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-} bash bench/compare-pytorch.sh --rounds 2"; JAVA="$JAVA" bash bench/compare-pytorch.sh --rounds 2; }
part_torch25() { header "$TEMURIN" "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-} TEMURIN=$TEMURIN bash bench/compare-pytorch.sh --rounds 2 --jdk 25"; TEMURIN="$TEMURIN" bash bench/compare-pytorch.sh --rounds 2 --jdk 25; }
part_fma() { header "$JAVA" "bash bench/fma-peak.sh"; JAVA="$JAVA" bash bench/fma-peak.sh; }
part_memory() {
  for opts in "" "-Xmx1g" "-Xmx768m" "-Xmx1g -XX:+UseParallelGC" "-Xmx1200m -XX:+UseParallelGC"; do
    local cmd="/usr/bin/time -v $JAVA --add-modules jdk.incubator.vector -Doctoquant.threads=2 $opts -cp $JAR octoquant.bench.TrainEpoch --model cnn --infer-passes 1"
    header "$JAVA" "$cmd"
    # shellcheck disable=SC2086
    /usr/bin/time -v "$JAVA" --add-modules jdk.incubator.vector -Doctoquant.threads=2 $opts -cp "$JAR" \
      octoquant.bench.TrainEpoch --model cnn --infer-passes 1 2>&1 \
      | grep -E '^octoquant |^# (epoch|octoquant)|Maximum resident|Elapsed|OutOfMemory|Exception' || true
  done
}
part_quant() {
  # One scheme per JVM beside float (a real run trains one scheme; with six models in one JVM the storage
  # call sites turn megamorphic and the Vector API's type profiles are shared, which inflates every ratio).
  local m s c
  for m in mlp cnn; do
    local rounds=9; [ "$m" = cnn ] && rounds=5
    for s in quant8 octal8 int8-pc int4-pc; do
      for c in QatStepRace QuantInferenceRace; do
        header "$JAVA" "java --add-modules jdk.incubator.vector -cp $JAR octoquant.bench.$c $m $rounds 2 $s"
        jrun "octoquant.bench.$c" "$m" "$rounds" 2 "$s" || echo "$c $m $s failed"
      done
    done
    header "$JAVA" "java --add-modules jdk.incubator.vector -cp $JAR octoquant.bench.QuantRace infer $m $rounds 2 integer"
    jrun octoquant.bench.QuantRace infer "$m" "$rounds" 2 integer || echo "QuantRace infer $m integer failed"
  done
}
part_gc() {
  local cmd="java -jar $JAR TrainStepBenchmark -p scheme=float,int8 -wi 2 -w 1 -i 3 -r 1 -prof gc"
  header "$JAVA" "$cmd"
  "$JAVA" -jar "$JAR" TrainStepBenchmark -p scheme=float,int8 -wi 2 -w 1 -i 3 -r 1 -prof gc 2>&1 \
    | grep -E '^(Benchmark|TrainStepBenchmark)' || true
}
part_profile() {
  local jfr=${TMPDIR:-/tmp}/octoquant-profile.$$.jfr m
  for m in cnn mlp; do
    header "$JAVA" "java -XX:StartFlightRecording=settings=profile,filename=F.jfr ... TrainEpoch --model $m --train-size 12800; python3 bench/jfr-top.py F.jfr 25"
    "$JAVA" --add-modules jdk.incubator.vector -Doctoquant.threads=2 -XX:StartFlightRecording=settings=profile,filename="$jfr" \
      -cp "$JAR" octoquant.bench.TrainEpoch --model "$m" --train-size 12800 2>&1 | grep -E '^octoquant |^# epoch'
    python3 bench/jfr-top.py "$jfr" 25 "$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jfr"
  done
  local c
  for c in "train mlp 5 2 int8" "infer mlp 5 2 int8-pc"; do
    header "$JAVA" "java -XX:StartFlightRecording=settings=profile,filename=F.jfr ... QuantRace $c; python3 bench/jfr-top.py F.jfr 25"
    # shellcheck disable=SC2086
    "$JAVA" --add-modules jdk.incubator.vector -XX:StartFlightRecording=settings=profile,filename="$jfr" \
      -cp "$JAR" octoquant.bench.QuantRace $c 2>&1 | grep quantrace
    python3 bench/jfr-top.py "$jfr" 25 "$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jfr"
  done
  rm -f "$jfr"
}
part_gemm() { header "$JAVA" "bash bench/gemm-vs-openblas.sh 1 2 $JAVA all"; bash bench/gemm-vs-openblas.sh 1 2 "$JAVA" all; }

for p in "${PARTS[@]}"; do
  declare -F "part_$p" > /dev/null || { echo "all-figures.sh: unknown part '$p' (torch17 torch25 fma memory quant gc gemm profile)" >&2; exit 2; }
  out="$RAW/$STAMP-$p.txt"
  echo "== $p -> $out"
  "part_$p" 2>&1 | tee "$out"
done
