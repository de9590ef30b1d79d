#!/usr/bin/env bash
# Two builds of octoquant side by side on one thread's CPU time: runs octoquant.bench.StepCpuTime from jar
# A and jar B alternately (A B, then B A, ...), each in a fresh JVM, and prints every run, then per figure
# (training step and inference batch: each run's min, q1 and median CPU ms) the median over the runs of
# each jar, the lowest and highest run (the spread), the ratio B / A of the medians, and the load average.
# CPU time on one thread is the work a step does, so this is the before/after measure for engine changes
# on a shared machine; the epoch's wall time (ab-train-epoch.sh) is the one the goals quote.
#
#   bash bench/ab-step-cpu.sh A.jar B.jar [--rounds N] [--model cnn|mlp] [--jdk 17|25]
#                             [-- extra StepCpuTime options, e.g. --steps 60 --warmup-seconds 12]
#
# Build the older jar from its commit in a scratch directory, e.g.
#   git -C /path/to/repo archive <commit> | tar -x -C /tmp/old && (cd /tmp/old && mvn -B -ntp -q -pl bench -am package -DskipTests)
# Environment: JAVA (default java), TEMURIN, JAVA_OPTS (default "-Xmx1200m -XX:+UseParallelGC -Xmn64m"),
# A_OPTS and B_OPTS (extra JVM options for one side only, e.g. the same jar twice with B_OPTS=-Dsome.property=1).
set -euo pipefail
NAME="$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=ab-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/ab-common.sh"

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
[[ $# -ge 2 ]] || { usage >&2; exit 2; }
A="$1"; B="$2"; shift 2
ROUNDS=6
MODEL=cnn
JAVA="${JAVA:-java}"
TEMURIN="${TEMURIN:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAVA_OPTS="${JAVA_OPTS--Xmx1200m -XX:+UseParallelGC -Xmn64m}"
A_OPTS="${A_OPTS:-}"
B_OPTS="${B_OPTS:-}"
EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --model)  MODEL="${2:?--model needs mlp or cnn}"; shift 2 ;;
    --jdk)
      case "${2:-}" in 17) ;; 25) JAVA="$TEMURIN" ;; *) echo "$NAME: --jdk takes 17 or 25" >&2; exit 2 ;; esac
      shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$NAME: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
ab_start
echo "# model $MODEL, java: $("$JAVA" -version 2>&1 | head -1), options: $JAVA_OPTS ${EXTRA[*]:-}; A: ${A_OPTS:-no more}; B: ${B_OPTS:-no more}"
run() { # label jar options
  # shellcheck disable=SC2086  # JAVA_OPTS and the side's options are lists of options
  "$JAVA" --add-modules jdk.incubator.vector $JAVA_OPTS $3 -cp "$2" \
      octoquant.bench.StepCpuTime --model "$MODEL" "${EXTRA[@]}" 2>/dev/null \
    | awk -v l="$1" '$1 == "step" { print l, $3 "_" $4, $5; fflush() }' | tee -a "$OUT" | paste -sd' ' -
}
for round in $(seq 1 "$ROUNDS"); do
  echo "# round $round, load $(cut -d' ' -f1 /proc/loadavg)"
  if (( round % 2 == 1 )); then run A "$A" "$A_OPTS"; run B "$B" "$B_OPTS"; else run B "$B" "$B_OPTS"; run A "$A" "$A_OPTS"; fi
done
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
  { v[$1 " " $2] = v[$1 " " $2] " " $3; keys[$2] = 1 }
  function sorted(list, a,   n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n
  }
  function median(list,   a, n) { n = sorted(list, a); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function spread(list,   a, n) { n = sorted(list, a); return a[1] ".." a[n] }
  END {
    printf "%-20s %10s %16s %10s %16s %7s\n", "figure (CPU ms)", "A median", "A range", "B median", "B range", "B / A"
    for (k in keys) {
      ma = median(v["A " k]); mb = median(v["B " k])
      printf "%-20s %10.3f %16s %10.3f %16s %7.3f\n", k, ma, spread(v["A " k]), mb, spread(v["B " k]), (ma != 0 ? mb / ma : 0)
    }
  }' "$OUT"
