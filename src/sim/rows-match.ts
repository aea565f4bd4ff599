// report --rows: a replication file is drawn under a results table only when
// both come from the same scenario and hold the same replications.
import { UserError } from '../errors.js';
import { differences, scenarioHash, type ReplicationFile } from './jsonl.js';
import type { Results } from './run.js';

/** Throws a UserError naming both files when `f` (read from `rowsPath`) is not the run behind `results` (from `resultsPath`). */
export function checkRowsMatch(results: Results, resultsPath: string, f: ReplicationFile, rowsPath: string): void {
  const m = f.manifest;
  if (!m) throw new UserError(`--rows ${rowsPath}: no manifest on line 1, so it cannot be matched to ${resultsPath}`, 'EFILE');
  const hash = scenarioHash(results.scenario);
  if (m.scenarioHash !== hash) {
    const diff = differences(results.scenario, m.scenario);
    throw new UserError(
      `--rows ${rowsPath} comes from another scenario than ${resultsPath} (scenario hash ${m.scenarioHash} vs ${hash}${diff.length ? `; differing: ${diff.join(', ')}` : ''})`,
      'EFILE',
    );
  }
  const want = results.scenario.replications;
  if (m.shard)
    throw new UserError(
      `--rows ${rowsPath} is shard ${m.shard.index}/${m.shard.count}; merge the shards first ("spillover merge")`,
      'EFILE',
    );
  if (m.replications !== want || f.reps.size !== want) {
    throw new UserError(
      `--rows ${rowsPath} holds ${f.reps.size} of ${m.replications} replications but ${resultsPath} summarises ${want}; give the replication file of that same run, complete`,
      'EFILE',
    );
  }
  for (const r of f.reps.keys())
    if (!(Number.isInteger(r) && r >= 0 && r < want))
      throw new UserError(`--rows ${rowsPath}: replication ${r} is outside 0..${want - 1}`, 'EFILE');
}
