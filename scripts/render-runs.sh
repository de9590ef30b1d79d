#!/usr/bin/env bash
# Draws the committed runs' reports and plots again from their results.json (nothing is trained) and rebuilds
# experiments/docs/runs/index.html. Run it after changing the report code or adding a run folder; the test
# RunsIndexTest fails while the committed index is not what this writes.
#   bash scripts/render-runs.sh [RUNS_DIR]      (default experiments/docs/runs)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=experiments/target/experiments.jar
if [ ! -f "$jar" ]; then
  echo "error: $jar not found; build it first: mvn -B -ntp -pl experiments -am package -DskipTests" >&2
  exit 2
fi
exec java -cp "$jar" octoquant.experiments.index.RenderRuns "${1:-experiments/docs/runs}"
