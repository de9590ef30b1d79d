#!/usr/bin/env bash
# Side-by-side race, octoquant against PyTorch (issue 6): the same model, data shape, batch (64),
# optimizer (Adam, lr 1e-3) and threads, one training epoch and test-set inference, the two engines
# run alternately for N rounds; prints every figure, the medians and the ratio octoquant / torch.
#
#   bash bench/compare-pytorch.sh [--rounds N] [--models mlp,cnn] [--threads N] [--build] [--quick]
#
# --quick: a smoke run on 1,280 training and 640 test images (checks the plumbing; its figures mean nothing).
# PyTorch side: bench/torch/train_epoch.py with Debian's python3-torch and libopenblas0-pthread.
# Java side: `java --add-modules jdk.incubator.vector -Doctoquant.threads=N
#             -cp bench/target/benchmarks.jar octoquant.bench.TrainEpoch --model mlp|cnn`
# Both print lines "<engine> <model> <metric> <value>" (the contract: bench/torch/README.md).
# Environment: JAVA (default: java on PATH), OCTOQUANT_BENCH_JAR (default bench/target/benchmarks.jar),
# JAVA_OPTS (JVM options; default "-Xmx1200m -XX:+UseParallelGC", set it empty for the JVM's defaults),
# PYTHON (default /usr/bin/python3, Debian's, which has torch).
# Why the heap cap: with the JVM's default maximum heap (a quarter of RAM) the CNN run's resident set
# grew to ~1.9 GB; capped it stays near 0.9-1.2 GB (issue 6: <= 1.5 GB), and the parallel collector
# kept the epoch's CPU time (G1 under a 1 GB cap used ~40% more, probably concurrent marking, as the
# training data alone fill 70% of the heap). 1200m, not 1g: on Temurin 25 the parallel collector's old
# generation under -Xmx1g cannot take the 614 MB training array (OutOfMemoryError). See bench/RESULTS.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=3
MODELS="mlp,cnn"
THREADS=2
BUILD=0
SIZE_ARGS=()
JAVA="${JAVA:-java}"
JAR="${OCTOQUANT_BENCH_JAR:-$REPO/bench/target/benchmarks.jar}"
PYTHON="${PYTHON:-/usr/bin/python3}"
JAVA_OPTS="${JAVA_OPTS--Xmx1200m -XX:+UseParallelGC}"
JAVA_CLASS="octoquant.bench.TrainEpoch"

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds)  ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --models)  MODELS="${2:?--models needs a list, e.g. mlp,cnn}"; shift 2 ;;
    --threads) THREADS="${2:?--threads needs a number}"; shift 2 ;;
    --build)   BUILD=1; shift ;;
    --quick)   SIZE_ARGS=(--train-size 1280 --test-size 640); shift ;;
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

# --- is PyTorch there? (Debian's packages; say plainly how to get them, and stop without failing)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
if command -v dpkg-query > /dev/null; then
  installed python3-torch || missing+=(python3-torch)
  installed libopenblas0-pthread || missing+=(libopenblas0-pthread)
fi
if [[ ${#missing[@]} -eq 0 ]] && ! "$PYTHON" -c 'import torch' 2> /dev/null; then
  missing+=("python3-torch (or: $PYTHON cannot import torch; Debian's torch is for /usr/bin/python3, set PYTHON)")
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "PyTorch is not available here (missing: ${missing[*]}), so there is nothing to compare against."
  echo "Install Debian's PyTorch and OpenBLAS, then run this again:"
  echo "    sudo apt-get update && sudo apt-get install -y python3-torch libopenblas0-pthread"
  echo "(libopenblas0-pthread matters: without it torch uses the reference BLAS and is ~10x slower.)"
  exit 0
fi

# --- the thread settings of issue 6: torch.set_num_threads(N) and one OpenBLAS thread
#     (both at 2 oversubscribe the cores); the same N for the Java engine.
export OPENBLAS_NUM_THREADS=1
export OMP_NUM_THREADS="$THREADS"

# --- is the Java side there?
if [[ "$BUILD" -eq 1 ]]; then
  (cd "$REPO" && mvn -B -ntp -q -pl bench -am package -DskipTests)
fi
# Look inside the jar without running anything (a main that does not know --help would start a run).
jar_has_class() {
  if command -v jar > /dev/null; then
    jar tf "$1" | grep -qx "$2"
  else
    "$PYTHON" -c 'import sys, zipfile; sys.exit(0 if sys.argv[2] in zipfile.ZipFile(sys.argv[1]).namelist() else 1)' "$1" "$2"
  fi
}
java_skip=""
if [[ ! -f "$JAR" ]]; then
  java_skip="the jar $JAR does not exist; build it with: mvn -B -ntp -pl bench -am package -DskipTests (or pass --build)"
elif ! jar_has_class "$JAR" "${JAVA_CLASS//.//}.class"; then
  java_skip="$JAR has no class $JAVA_CLASS yet (the bench module's TrainEpoch main, see bench/torch/README.md)"
fi
if [[ -n "$java_skip" ]]; then
  echo "NOTE: skipping the octoquant side: $java_skip. Running PyTorch only."
fi

RESULTS="$(mktemp "${TMPDIR:-/tmp}/compare-pytorch.XXXXXX")"
trap 'rm -f "$RESULTS"' EXIT

# One run of one engine on one model: show its output and keep it for the summary
# (which reads only the contract lines).
run_torch() {
  "$PYTHON" "$REPO/bench/torch/train_epoch.py" --model "$1" --threads "$THREADS" "${SIZE_ARGS[@]}" | tee -a "$RESULTS"
}
run_java() {
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  "$JAVA" --add-modules jdk.incubator.vector -Doctoquant.threads="$THREADS" ${JAVA_OPTS:-} \
    -cp "$JAR" "$JAVA_CLASS" --model "$1" "${SIZE_ARGS[@]}" 2>&1 | tee -a "$RESULTS"
}

# A busy machine makes the figures meaningless, torch's above all: with its OpenMP threads spin-waiting
# (GNU OpenMP's default), a 2-thread torch on two cores shared with other work ran its MLP epoch 30x
# slower than on an idle machine. Say so next to the figures.
load1="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$load1" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
  echo "WARNING: the machine is busy (load average $load1 on $(nproc) cores): the figures below measure the"
  echo "         contention as much as the engines. Run on an idle machine; OMP_WAIT_POLICY=PASSIVE makes"
  echo "         torch suffer less from it (it is passed through; issue 6's figures used the default)."
fi
echo "# compare-pytorch: rounds $ROUNDS, models ${MODEL_LIST[*]}, threads $THREADS, OPENBLAS_NUM_THREADS=1"
echo "# $("$JAVA" -version 2>&1 | head -1); JAVA_OPTS: ${JAVA_OPTS:-(none)}; $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= ROUNDS; round++)); do
  for m in "${MODEL_LIST[@]}"; do
    # Alternate who goes first, so a slow drift of the machine does not favour one engine.
    if [[ -n "$java_skip" ]]; then
      order=(torch)
    elif ((round % 2 == 1)); then
      order=(torch java)
    else
      order=(java torch)
    fi
    for engine in "${order[@]}"; do
      echo "# round $round, $engine $m (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
      if ! "run_$engine" "$m"; then
        echo "compare-pytorch.sh: the $engine run for $m failed (output above)" >&2
        exit 1
      fi
    done
  done
done

# Summary: every figure, the median over rounds, and octoquant / torch for figures both printed.
echo
echo "# summary (median over $ROUNDS rounds; ratio = octoquant / torch:"
echo "#   train_epoch_seconds and peak_rss_mb: lower is better, the goal is a ratio <= 0.5 for the epoch;"
echo "#   infer_images_per_second: higher is better, the goal for the CNN is a ratio >= 3)"
printf "%-5s %-24s %12s %12s %8s   %s\n" "model" "figure" "torch" "octoquant" "ratio" "all runs: torch | octoquant"
awk '
  $1 ~ /^(torch|octoquant)$/ && NF == 4 && $4 ~ /^[-+0-9.eE]+$/ {
    key = $2 " " $3; v[$1, key] = v[$1, key] " " $4; keys[key] = 1
  }
  function median(list,    a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (key in keys) {
      split(key, k, " ")
      t = (("torch", key) in v) ? median(v["torch", key]) : ""
      o = (("octoquant", key) in v) ? median(v["octoquant", key]) : ""
      r = (t != "" && o != "" && t + 0 != 0) ? sprintf("%.3f", o / t) : "-"
      printf "%-5s %-24s %12s %12s %8s  %s |%s\n", k[1], k[2], (t == "" ? "-" : t), (o == "" ? "-" : o), r, v["torch", key], v["octoquant", key]
    }
  }' "$RESULTS" | sort
