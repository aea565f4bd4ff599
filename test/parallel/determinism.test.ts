// Replication r draws only from streams named by (seed, r), so the results
// are the same bytes whatever the number of workers, and the same as the
// serial in-process run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { announcement } from '../../src/report/write.js';
import { cli, read, smallScenario, tempDir, writeScenario } from './_cli.js';

describe('determinism across worker counts and shards', { timeout: 300_000 }, () => {
  const dir = tempDir();
  // designs whose draws report a clustering (rgcr) or arms (saveski) too: batches must keep each draw's own
  // 100 replications: over three bit-parallel batches of 32, cut differently
  // for 1, 2 and 8 workers and for 3 shards (whose replications are r mod 3)
  const scenario = smallScenario(100, {
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } },
      { type: 'rgcr', name: 'rgcr', p: 0.5, clustering: { method: 'one-hop-max' } },
      { type: 'saveski', name: 'saveski', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm', 'cluster-dm', 'ht', 'hajek', 'saveski'],
  });
  const file = writeScenario(dir, scenario);
  const runs = [1, 2, 8].map((w) => {
    const json = join(dir, `w${w}.json`);
    // the set-up (RGCR probabilities) is built once and shared, so 8 workers on 2 cores cost little more
    const r = cli(['run', file, '--workers', String(w), '--quiet', '--json', json], {}, 120_000);
    return { w, r, json: r.code === 0 ? read(json) : '' };
  });

  const shardDir = join(dir, 'shards');
  const shards = [0, 1, 2].map((i) => cli(['run', file, '--shard', `${i}/3`, '--out', shardDir, '--workers', '2', '--quiet'], {}, 120_000));
  const merged = cli(['merge', ...[0, 1, 2].map((i) => join(shardDir, `shard-${i}.jsonl`)), '--json', join(dir, 'merged.json')]);

  it('every run succeeds', () => {
    for (const r of shards) expect(r.err).toBe('');
    // merge has no --quiet here: it announces the file it wrote, nothing else
    expect(merged.err).toBe(announcement(join(dir, 'merged.json')));
    for (const r of [...shards, merged]) expect(r.code).toBe(0);
    // 8 workers on a machine with fewer cores is warned about, nothing else is said
    const said = (err: string) => err.replace(/^spillover: warning: --workers \d+ is more than the \d+ cores? here.*\n/m, '');
    for (const { r } of runs) expect(said(r.err)).toBe('');
    for (const { r } of runs) expect(r.code).toBe(0);
  });

  it('results JSON and table are byte-identical for 1, 2 and 8 workers', () => {
    expect(runs[0]!.json.length).toBeGreaterThan(1000);
    expect(runs[1]!.json).toBe(runs[0]!.json);
    expect(runs[2]!.json).toBe(runs[0]!.json);
    expect(runs[1]!.r.out).toBe(runs[0]!.r.out);
    expect(runs[2]!.r.out).toBe(runs[0]!.r.out);
  });

  it('three shards merged give the same bytes', () => {
    expect(read(join(dir, 'merged.json'))).toBe(runs[0]!.json);
    expect(merged.out).toBe(runs[0]!.r.out);
  });

  it('equal to the serial in-process run', () => {
    const { results } = runSerial(parseScenario(scenario));
    expect(JSON.stringify(results, null, 2) + '\n').toBe(runs[0]!.json);
  });
});
