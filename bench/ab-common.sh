# Sourced by bench/ab-train-epoch.sh and bench/ab-step-cpu.sh, the A/B scripts: the checks and the header
# they share. ab_start needs NAME (the script's file name, for messages), A and B (the jars) and ROUNDS; it
# exits with 2 and one line on a missing jar or a bad round count, sets OUT to a results file removed on
# exit, and prints the header (time, cores, CPU family, load, the two jars).

ab_start() {
  local jar
  for jar in "$A" "$B"; do
    [[ -f "$jar" ]] || { echo "$NAME: no jar at '$jar' (build it first, see --help)" >&2; exit 2; }
  done
  [[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "$NAME: --rounds must be a positive integer" >&2; exit 2; }
  OUT="$(mktemp "${TMPDIR:-/tmp}/${NAME%.sh}.XXXXXX")"
  trap 'rm -f "$OUT"' EXIT
  echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'cpu family' /proc/cpuinfo | tr -s ' \t' ' '), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# A = $A"
  echo "# B = $B"
}
