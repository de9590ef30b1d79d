#!/usr/bin/env bash
# PyTorch 2.7.1 through DJL, the race's third contestant (issue 13): one training epoch and test-set
# inference with the workload of bench/torch/train_epoch.py, printing "djl <model> <metric> <value>" lines.
#
#   bash bench/djl-train-epoch.sh --model mlp|cnn [--threads N] [--train-size N] [--test-size N] [--warmup-steps N]
#
# Needs the bench module built (mvn -B -ntp -pl bench -am package -DskipTests): benchmarks.jar holds the
# contestant's classes, bench/target/djl.classpath lists DJL's jars in the local Maven repository, among them
# pytorch-native-cpu with libtorch inside. DJL runs offline (ai.djl.offline=true: it fails rather than
# download) and extracts libtorch once into bench/target/djl-cache (DJL_CACHE_DIR to put it elsewhere).
# Environment: JAVA (default: java on PATH), DJL_JAVA_OPTS (JVM options, default none: the data and the
# model live in libtorch's memory, not on the Java heap). Exit codes: 2 bad option or missing build, 1 the
# run failed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA:-java}"
JAR="${OCTOQUANT_BENCH_JAR:-$REPO/bench/target/benchmarks.jar}"
CP_FILE="$REPO/bench/target/djl.classpath"
CACHE="${DJL_CACHE_DIR:-$REPO/bench/target/djl-cache}"

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0; fi
for f in "$JAR" "$CP_FILE"; do
  [[ -f "$f" ]] || { echo "djl-train-epoch.sh: $f is missing; build it: mvn -B -ntp -pl bench -am package -DskipTests" >&2; exit 2; }
done
DJL_CP="$(cat "$CP_FILE")"
IFS=':' read -r -a jars <<< "$DJL_CP"
for j in "${jars[@]}"; do
  [[ -f "$j" ]] || { echo "djl-train-epoch.sh: $j (listed in $CP_FILE) is missing; rebuild: mvn -B -ntp -pl bench -am package -DskipTests" >&2; exit 2; }
done
mkdir -p "$CACHE"

# --enable-native-access: JNA loads libtorch; JDK 22+ warns about that unless it is allowed (17 accepts the flag).
# shellcheck disable=SC2086  # DJL_JAVA_OPTS is a list of options
exec "$JAVA" --enable-native-access=ALL-UNNAMED ${DJL_JAVA_OPTS:-} -Dai.djl.offline=true -Doctoquant.djl.cache="$CACHE" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$JAR:$DJL_CP" octoquant.bench.djl.DjlTrainEpoch "$@"
