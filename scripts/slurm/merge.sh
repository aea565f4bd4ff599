#!/bin/bash
# Merge the shards of a job array into the summary a single run gives: as a
# job (sbatch --dependency=afterany:<array job id> scripts/slurm/merge.sh) or
# by hand. The table goes to stdout (the job's output file). Environment:
#   OUT        the array's folder (default $SCRATCH/runs/big, ./runs/big)
#   JSON       results file (default $OUT/merged.json)
#   SPILLOVER  spillover's bin.js, run with node (default: npx spillover)
#SBATCH --job-name=spillover-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=00:30:00
set -euo pipefail

out=${OUT:-${SCRATCH:-.}/runs/big}

if [ -n "${SPILLOVER:-}" ]; then cli=(node "$SPILLOVER"); else cli=(npx --no-install spillover); fi

exec "${cli[@]}" merge "$out"/shard-*.jsonl --json "${JSON:-$out/merged.json}"
