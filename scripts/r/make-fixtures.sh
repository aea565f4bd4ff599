#!/usr/bin/env bash
# The R fixtures of test/estimate/r-fixtures.test.ts: data sets written by
# `spillover draw` from scripts/r/fixture-scenario.json (Caltech, the user and
# dorm designs of scenarios/caltech-dorms.json, a baseline outcome of
# correlation 0.6), then the numbers estimatr and clubSandwich give on them.
#   apt-get install -y r-base-core r-cran-estimatr r-cran-clubsandwich
#   npm run build && scripts/r/make-fixtures.sh
# SPILLOVER overrides the command (default: node dist/src/cli/bin.js).
set -euo pipefail
cd "$(dirname "$0")/../.."
read -r -a bin <<< "${SPILLOVER:-node dist/src/cli/bin.js}"
dir=test/fixtures/r
scenario=scripts/r/fixture-scenario.json
for r in 0 1; do
  "${bin[@]}" draw "$scenario" --rep "$r" --design dorm --csv "$dir/caltech-dorm-rep$r.csv"
  # the few-cluster case: the students with a dorm (8 dorms of 44 to 98 students)
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "dorm") c = i; print; next } $c != "NA"' \
    "$dir/caltech-dorm-rep$r.csv" > "$dir/caltech-dorm-few-rep$r.csv"
done
"${bin[@]}" draw "$scenario" --rep 0 --design user --csv "$dir/caltech-user-rep0.csv"
Rscript scripts/r/fixtures.R
npx prettier --write "$dir/expected.json" > /dev/null
