#!/usr/bin/env bash
# Two builds of octoquant side by side: runs octoquant.bench.TrainEpoch from jar A and jar B alternately
# (A B, then B A, ...), each in a fresh JVM, and prints every run, then per figure the medians, the
# ratio B / A and the 1-minute load average before and after. For before/after measurements of engine
# changes on a shared machine: both builds meet the same load, so the ratio means more than either figure.
#
#   bash bench/ab-train-epoch.sh A.jar B.jar [--rounds N] [--model cnn|mlp] [--threads N] [--jdk 17|25]
#                                [-- extra TrainEpoch options, e.g. --train-size 12800]
#
# Build the older jar from its commit in a scratch directory, e.g.
#   git -C /path/to/repo archive <commit> | tar -x -C /tmp/old && (cd /tmp/old && mvn -B -ntp -q -pl bench -am package -DskipTests)
# Environment: JAVA (default java), TEMURIN, JAVA_OPTS (default "-Xmx1200m -XX:+UseParallelGC -Xmn64m", the race's).
set -euo pipefail
NAME="$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=ab-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/ab-common.sh"

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
[[ $# -ge 2 ]] || { usage >&2; exit 2; }
A="$1"; B="$2"; shift 2
ROUNDS=3
MODEL=cnn
THREADS=2
JAVA="${JAVA:-java}"
TEMURIN="${TEMURIN:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAVA_OPTS="${JAVA_OPTS--Xmx1200m -XX:+UseParallelGC -Xmn64m}"
EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds)  ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --model)   MODEL="${2:?--model needs mlp or cnn}"; shift 2 ;;
    --threads) THREADS="${2:?--threads needs a number}"; shift 2 ;;
    --jdk)
      case "${2:-}" in 17) ;; 25) JAVA="$TEMURIN" ;; *) echo "$NAME: --jdk takes 17 or 25" >&2; exit 2 ;; esac
      shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$NAME: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
ab_start
echo "# model $MODEL, threads $THREADS, java: $("$JAVA" -version 2>&1 | head -1), options: $JAVA_OPTS ${EXTRA[*]:-}"
run() { # label jar
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  "$JAVA" --add-modules jdk.incubator.vector -Doctoquant.threads="$THREADS" $JAVA_OPTS -cp "$2" \
      octoquant.bench.TrainEpoch --model "$MODEL" --threads "$THREADS" "${EXTRA[@]}" 2>/dev/null \
    | grep '^octoquant ' | sed "s/^octoquant/$1/" | tee -a "$OUT"
}
for round in $(seq 1 "$ROUNDS"); do
  echo "# round $round, load $(cut -d' ' -f1 /proc/loadavg)"
  if (( round % 2 == 1 )); then run A "$A"; run B "$B"; else run B "$B"; run A "$A"; fi
done
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
  { v[$1 " " $3] = v[$1 " " $3] " " $4; keys[$3] = 1 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    printf "%-26s %14s %14s %9s\n", "figure", "A median", "B median", "B / A"
    for (k in keys) {
      ma = median(v["A " k]); mb = median(v["B " k])
      printf "%-26s %14.6g %14.6g %9.3f   A:%s | B:%s\n", k, ma, mb, (ma != 0 ? mb / ma : 0), v["A " k], v["B " k]
    }
  }' "$OUT"
