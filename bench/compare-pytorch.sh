#!/usr/bin/env bash
# The speed race (issues 6 and 13): octoquant against PyTorch 1.13 (Debian's python3-torch, from Python) and
# PyTorch 2.7.1 (driven from Java through DJL 0.36, what a Java user would pick) on the same models, data
# shapes, batch (64), optimizer (Adam, lr 1e-3) and threads: one training epoch and test-set inference per
# run, each contestant in a fresh process, the order rotating from round to round. Every round also
# measures the machine's FMA peak (bench/fma-peak.sh) and how steady its cores, caches and memory are
# (octoquant.bench.HostNoise, ~10 s). Prints every figure, then medians [min-max], the ratios octoquant /
# each PyTorch, how much each figure moved between rounds, the FMA peak and the training GFLOP/s
# (im2col-equivalent, bench TrainingFlops) with their share of that peak, and the host-noise figures.
#
#   bash bench/compare-pytorch.sh [--rounds N] [--models mlp,cnn] [--threads N] [--contestants torch,djl,octoquant]
#                                 [--jdk 17|25] [--build] [--quick] [--no-fma]
#
# --no-fma: neither the FMA peak nor the host-noise probes.
# --quick: a smoke run on 1,280 training and 640 test images (checks the plumbing; its figures mean nothing).
# --jdk 25: the Java contestants (octoquant, DJL, the Java FMA loop) on Temurin 25 ($TEMURIN, default
#   /usr/lib/jvm/temurin-25-jdk-amd64/bin/java); default: JDK 17, java on PATH (or $JAVA).
# PyTorch 1.13: bench/torch/train_epoch.py with Debian's python3-torch and libopenblas0-pthread.
# PyTorch 2.7.1: bench/djl-train-epoch.sh (octoquant.bench.djl.DjlTrainEpoch; offline, libtorch from the
#   Maven jar). octoquant: octoquant.bench.TrainEpoch. All print "<contestant> <model> <metric> <value>"
#   (the contract: bench/torch/README.md). A contestant that is not available is skipped with a note.
# Environment: JAVA, TEMURIN, OCTOQUANT_BENCH_JAR (default bench/target/benchmarks.jar), JAVA_OPTS (octoquant's
# JVM options; default "-Xmx1200m -XX:+UseParallelGC -Xmn64m", set it empty for the JVM's defaults), DJL_JAVA_OPTS
# (default none), PYTHON (default /usr/bin/python3, Debian's, which has torch), OMP_WAIT_POLICY (passed on).
# Why octoquant's heap cap: with the JVM's default maximum heap (a quarter of RAM) the CNN run's resident set
# grew to ~1.9 GB; capped it stays near 0.9-1.2 GB, and the parallel collector kept the epoch's CPU time
# (G1 under a 1 GB cap used ~40% more). 1200m, not 1g: on Temurin 25 the parallel collector's old
# generation under -Xmx1g cannot take the 614 MB training array. Why -Xmn64m (a 64 MB young generation):
# without it the parallel collector grows the young generation to its maximum (~400 MB, a third of the heap)
# during the JIT warm-up, whose not yet compiled Vector API code allocates ~1 GB/s, and touches all of it,
# although a compiled CNN training step leaves only ~1 MB of garbage (~60 steps between collections at
# 64 MB). CNN peak RSS 962-964 MiB with it against 1,316-1,334 without, the epoch's CPU time unchanged
# (bench/RESULTS.md, docs/decisions.md 2026-12-06 "training step buffers").
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=3
MODELS="mlp,cnn"
THREADS=2
CONTESTANTS="torch,djl,octoquant"
BUILD=0
FMA=1
QUICK=0
SIZE_ARGS=()
TEMURIN="${TEMURIN:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAVA="${JAVA:-java}"
JAR="${OCTOQUANT_BENCH_JAR:-$REPO/bench/target/benchmarks.jar}"
PYTHON="${PYTHON:-/usr/bin/python3}"
JAVA_OPTS="${JAVA_OPTS--Xmx1200m -XX:+UseParallelGC -Xmn64m}"
JAVA_CLASS="octoquant.bench.TrainEpoch"

usage() { sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds)      ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --models)      MODELS="${2:?--models needs a list, e.g. mlp,cnn}"; shift 2 ;;
    --threads)     THREADS="${2:?--threads needs a number}"; shift 2 ;;
    --contestants) CONTESTANTS="${2:?--contestants needs a list, e.g. torch,djl,octoquant}"; shift 2 ;;
    --jdk)
      case "${2:-}" in
        17) ;;
        25) JAVA="$TEMURIN" ;;
        *) echo "compare-pytorch.sh: --jdk takes 17 or 25, got '${2:-}'" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --build)   BUILD=1; shift ;;
    --quick)   QUICK=1; SIZE_ARGS=(--train-size 1280 --test-size 640); shift ;;
    --no-fma)  FMA=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare-pytorch.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "compare-pytorch.sh: --rounds must be a positive integer, got '$ROUNDS'" >&2; exit 2; }
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || { echo "compare-pytorch.sh: --threads must be a positive integer, got '$THREADS'" >&2; exit 2; }
IFS=',' read -r -a MODEL_LIST <<< "$MODELS"
for m in "${MODEL_LIST[@]}"; do
  [[ "$m" == mlp || "$m" == cnn ]] || { echo "compare-pytorch.sh: unknown model '$m' in --models (use mlp, cnn)" >&2; exit 2; }
done
IFS=',' read -r -a WANTED <<< "$CONTESTANTS"
for c in "${WANTED[@]}"; do
  [[ "$c" == torch || "$c" == djl || "$c" == octoquant ]] || { echo "compare-pytorch.sh: unknown contestant '$c' in --contestants (use torch, djl, octoquant)" >&2; exit 2; }
done
command -v "$JAVA" > /dev/null || [[ -x "$JAVA" ]] || { echo "compare-pytorch.sh: no Java at '$JAVA' (set JAVA or TEMURIN)" >&2; exit 2; }

# --- the thread settings of issue 6: N intra-op threads and one OpenBLAS thread (both at N oversubscribe
#     the cores); the same N for every contestant. OMP_NUM_THREADS reaches both PyTorch builds' OpenMP.
export OPENBLAS_NUM_THREADS=1
export OMP_NUM_THREADS="$THREADS"

if [[ "$BUILD" -eq 1 ]]; then
  (cd "$REPO" && mvn -B -ntp -q -pl bench -am package -DskipTests)
fi

# --- which contestants can run here
# Look inside the jar without running anything (a main that does not know --help would start a run).
jar_has_class() {
  if command -v jar > /dev/null; then
    jar tf "$1" | grep -qx "$2"
  else
    "$PYTHON" -c 'import sys, zipfile; sys.exit(0 if sys.argv[2] in zipfile.ZipFile(sys.argv[1]).namelist() else 1)' "$1" "$2"
  fi
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
skip_reason() {
  case "$1" in
    torch)
      local missing=()
      if command -v dpkg-query > /dev/null; then
        installed python3-torch || missing+=(python3-torch)
        installed libopenblas0-pthread || missing+=(libopenblas0-pthread)
      fi
      if [[ ${#missing[@]} -eq 0 ]] && ! "$PYTHON" -c 'import torch' 2> /dev/null; then
        missing+=("python3-torch ($PYTHON cannot import torch; Debian's torch is for /usr/bin/python3, set PYTHON)")
      fi
      if [[ ${#missing[@]} -gt 0 ]]; then
        echo "PyTorch 1.13 is not installed (missing: ${missing[*]}); install it with: sudo apt-get update && sudo apt-get install -y python3-torch libopenblas0-pthread (libopenblas0-pthread matters: without it torch uses the reference BLAS, ~10x slower)"
      fi ;;
    djl)
      if [[ ! -f "$JAR" || ! -f "$REPO/bench/target/djl.classpath" ]]; then
        echo "the bench build is missing ($JAR, bench/target/djl.classpath); build it with: mvn -B -ntp -pl bench -am package -DskipTests (or pass --build)"
      elif ! jar_has_class "$JAR" "octoquant/bench/djl/DjlTrainEpoch.class"; then
        echo "$JAR has no DJL contestant (octoquant.bench.djl.DjlTrainEpoch); rebuild it"
      fi ;;
    octoquant)
      if [[ ! -f "$JAR" ]]; then
        echo "the jar $JAR does not exist; build it with: mvn -B -ntp -pl bench -am package -DskipTests (or pass --build)"
      elif ! jar_has_class "$JAR" "${JAVA_CLASS//.//}.class"; then
        echo "$JAR has no class $JAVA_CLASS"
      fi ;;
  esac
}
RACERS=()
for c in "${WANTED[@]}"; do
  reason="$(skip_reason "$c")"
  if [[ -n "$reason" ]]; then echo "NOTE: skipping $c: $reason"; else RACERS+=("$c"); fi
done
if [[ ${#RACERS[@]} -eq 0 ]]; then
  echo "Nothing to race: no contestant is available here (notes above)."
  exit 0
fi

RESULTS="$(mktemp "${TMPDIR:-/tmp}/compare-pytorch.XXXXXX")"
trap 'rm -f "$RESULTS"' EXIT

# One run of one contestant on one model: show its output and keep it for the summary (which reads only
# the contract lines; each contestant reports its own peak RSS).
run_torch() {
  "$PYTHON" "$REPO/bench/torch/train_epoch.py" --model "$1" --threads "$THREADS" "${SIZE_ARGS[@]}" | tee -a "$RESULTS"
}
run_djl() {
  JAVA="$JAVA" DJL_JAVA_OPTS="${DJL_JAVA_OPTS:-}" OCTOQUANT_BENCH_JAR="$JAR" \
    bash "$REPO/bench/djl-train-epoch.sh" --model "$1" --threads "$THREADS" "${SIZE_ARGS[@]}" 2>&1 | tee -a "$RESULTS"
}
run_octoquant() {
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  "$JAVA" --add-modules jdk.incubator.vector -Doctoquant.threads="$THREADS" ${JAVA_OPTS:-} \
    -cp "$JAR" "$JAVA_CLASS" --model "$1" "${SIZE_ARGS[@]}" 2>&1 | grep -v '^WARNING: Using incubator modules' | tee -a "$RESULTS"
}
run_fma() {
  JAVA="$JAVA" OCTOQUANT_BENCH_JAR="$JAR" bash "$REPO/bench/fma-peak.sh" | grep -v '^fma peak' | tee -a "$RESULTS"
}
run_noise() {
  "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" octoquant.bench.HostNoise --threads "$THREADS" 2>&1 \
    | grep -v '^WARNING: Using incubator modules' | tee -a "$RESULTS"
}

# A busy machine makes the figures meaningless, PyTorch's above all: with its OpenMP threads spin-waiting
# (GNU OpenMP's default), a 2-thread torch on two cores shared with other work ran its MLP epoch 30x
# slower than on an idle machine. Say so next to the figures.
load1="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$load1" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
  echo "WARNING: the machine is busy (load average $load1 on $(nproc) cores): the figures below measure the"
  echo "         contention as much as the engines. Run on an idle machine; OMP_WAIT_POLICY=PASSIVE makes"
  echo "         PyTorch suffer less from it (it is passed through; issue 6's figures used the default)."
fi
cpu="$(awk -F': ' '/^cpu family/ && !f { f = $2 } /^model\t/ && !m { m = $2 } /^model name/ && !n { n = $2 }
                   END { printf "family %s, model %s, model name %s", f, m, n }' /proc/cpuinfo 2>/dev/null || echo unknown)"
echo "# compare-pytorch: $(date -u +%FT%TZ), rounds $ROUNDS, models ${MODEL_LIST[*]}, contestants ${RACERS[*]}, threads $THREADS, OPENBLAS_NUM_THREADS=1, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-(unset)}"
echo "# CPU: $cpu; $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$JAVA" -version 2>&1 | head -1) ($JAVA); octoquant JAVA_OPTS: ${JAVA_OPTS:-(none)}; DJL_JAVA_OPTS: ${DJL_JAVA_OPTS:-(none)}"

# Flops per training image, from the models' shapes (the octoquant jar's TrainingFlops).
if [[ -f "$JAR" ]]; then
  for m in "${MODEL_LIST[@]}"; do
    "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" octoquant.bench.TrainingFlops --model "$m" 2>&1 \
      | grep -v '^WARNING: Using incubator modules' | tee -a "$RESULTS"
  done
fi

for ((round = 1; round <= ROUNDS; round++)); do
  if [[ "$FMA" -eq 1 ]]; then
    echo "# round $round, FMA peak (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    run_fma || echo "compare-pytorch.sh: the FMA peak run failed (output above); racing on" >&2
    if [[ -f "$JAR" ]]; then
      run_noise || echo "compare-pytorch.sh: the host-noise probes failed (output above); racing on" >&2
    fi
  fi
  for m in "${MODEL_LIST[@]}"; do
    # Rotate who goes first, so a slow drift of the machine favours no contestant.
    n=${#RACERS[@]}
    for ((i = 0; i < n; i++)); do
      c="${RACERS[$(((round - 1 + i) % n))]}"
      echo "# round $round, $c $m (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
      if ! "run_$c" "$m"; then
        echo "compare-pytorch.sh: the $c run for $m failed (output above)" >&2
        exit 1
      fi
    done
  done
done

if [[ "$QUICK" -eq 1 ]]; then images_mlp=1280; images_cnn=1280; else images_mlp=60000; images_cnn=50000; fi
awk -v rounds="$ROUNDS" -v images_mlp="$images_mlp" -v images_cnn="$images_cnn" -f "$REPO/bench/race-summary.awk" "$RESULTS"
