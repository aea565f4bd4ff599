// Merge replication files (shards, or pieces of one run) into the results a
// single uninterrupted run would give, after checking they come from one
// scenario and hold every replication exactly once.
import { UserError } from '../errors.js';
import type { Row } from './replicate.js';
import { resultsFromParts, type Results } from './run.js';
import { readReplicationFile, type Manifest } from './jsonl.js';
import { inputMismatch } from './inputs.js';

function listReps(reps: number[], max = 10): string {
  return reps.slice(0, max).join(', ') + (reps.length > max ? `, … (${reps.length} in all)` : '');
}

export function mergeFiles(paths: readonly string[]): Results {
  return mergeRuns(paths).results;
}

/** The merged results with every replication's rows (for the simulations table). */
export function mergeRuns(paths: readonly string[]): { results: Results; rows: Row[] } {
  if (paths.length === 0) throw new UserError('merge: give at least one replication file (e.g. out/shard-*.jsonl)', 'EARG');
  let first: { path: string; manifest: Manifest } | null = null;
  const owner = new Map<number, string>();
  const rows: Row[] = [];
  for (const path of paths) {
    const f = readReplicationFile(path);
    if (!f.manifest) throw new UserError(`merge: ${path} has no complete manifest line (the run stopped before writing anything)`, 'EFILE');
    const m = f.manifest;
    if (!first) first = { path, manifest: m };
    else if (m.scenarioHash !== first.manifest.scenarioHash) {
      throw new UserError(
        `merge: ${path} comes from a different scenario than ${first.path} (scenario hash ${m.scenarioHash} vs ${first.manifest.scenarioHash}); merge only shards of one run`,
        'EFILE',
      );
    } else {
      const why = inputMismatch(first.manifest.inputs, m.inputs);
      if (why)
        throw new UserError(
          `merge: ${path} was run on other input files than ${first.path} (${first.path} first, ${path} second): ${why}; merge only shards run on the same files`,
          'EFILE',
        );
    }
    for (const [rep, rs] of f.reps) {
      const other = owner.get(rep);
      if (other !== undefined)
        throw new UserError(`merge: replication ${rep} is in both ${other} and ${path}; each shard must be given once`, 'EFILE');
      if (!Number.isInteger(rep) || rep < 0 || rep >= m.replications)
        throw new UserError(
          `merge: ${path} holds replication ${rep} (line ${f.lines.get(rep)}), outside 0..${m.replications - 1}`,
          'EFILE',
        );
      owner.set(rep, path);
      rows.push(...rs);
    }
  }
  const m = first!.manifest;
  const missing: number[] = [];
  for (let r = 0; r < m.replications; r++) if (!owner.has(r)) missing.push(r);
  if (missing.length > 0) {
    const count = m.shard?.count;
    const shards = count ? [...new Set(missing.map((r) => r % count))].map((i) => `${i}/${count}`) : [];
    const hint = shards.length
      ? `; run (or --resume) --shard ${shards.join(', --shard ')} and merge again`
      : '; finish the run with --resume and merge again';
    throw new UserError(`merge: ${missing.length} of ${m.replications} replications are missing: ${listReps(missing)}${hint}`, 'EFILE');
  }
  return { results: resultsFromParts(m, rows), rows };
}
