// Shards run as separate processes (as a Slurm array or Kubernetes Indexed
// Job would) and merge to the bytes of a single run; merge refuses shards of
// different scenarios, missing and duplicated replications.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeFiles } from '../../src/sim/merge.js';
import { announcement } from '../../src/report/write.js';
import { cli, cliAsync, read, smallScenario, tempDir, writeScenario } from './_cli.js';

describe('--shard i/N and merge', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeScenario(dir, smallScenario(25));
  const out = join(dir, 'out');
  const single = cli(['run', file, '--quiet', '--workers', '2', '--json', join(dir, 'single.json')]);
  const shards = await Promise.all(
    [0, 1, 2].map((i) => cliAsync(['run', file, '--shard', `${i}/3`, '--out', out, '--workers', '1', '--quiet']).done),
  );
  const shardFile = (i: number) => join(out, `shard-${i}.jsonl`);

  it('each shard writes its own file with its replications (r mod 3 = i)', () => {
    expect(single.code).toBe(0);
    for (const s of shards) expect(s.code).toBe(0);
    for (const i of [0, 1, 2]) {
      const reps = read(shardFile(i))
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l).rep as number);
      expect(reps.length).toBe(i === 0 ? 9 : 8);
      for (const r of reps) expect(r % 3).toBe(i);
    }
  });

  it('merge gives the single run byte for byte (table and JSON)', () => {
    const m = cli(['merge', shardFile(2), shardFile(0), shardFile(1), '--json', join(dir, 'merged.json')]);
    expect(m.err).toBe(announcement(join(dir, 'merged.json')));
    expect(m.code).toBe(0);
    expect(m.out).toBe(single.out);
    expect(read(join(dir, 'merged.json'))).toBe(read(join(dir, 'single.json')));
  });

  // merge's checks, in this process (the files still come from separate processes)
  it('a missing shard is named', () => {
    expect(() => mergeFiles([shardFile(0), shardFile(2)])).toThrow(/8 of 25 replications are missing.*--shard 1\/3/);
  });

  it('a shard given twice is a duplicate', () => {
    expect(() => mergeFiles([shardFile(0), shardFile(1), shardFile(2), shardFile(1)])).toThrow(/replication \d+ is in both/);
  });

  it('shards of another scenario are refused', async () => {
    const other = writeScenario(dir, smallScenario(25, { seed: 18 }), 'other.json');
    const r = await cliAsync(['run', other, '--shard', '1/3', '--out', join(dir, 'other'), '--quiet', '--workers', '1']).done;
    expect(r.code).toBe(0);
    expect(() => mergeFiles([shardFile(0), join(dir, 'other', 'shard-1.jsonl'), shardFile(2)])).toThrow('comes from a different scenario');
  });

  it('bad --shard values are refused', () => {
    const r = cli(['run', file, '--shard', '3/3', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('0 <= i < N');
  });
});
