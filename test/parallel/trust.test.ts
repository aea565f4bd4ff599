// Resume and merge trust only what they check (issue 13): a manifest lacking
// or spoiling a field is refused naming the file and the field (no TypeError
// stack), and resume refuses an out-of-range or duplicate replication as
// merge does, naming the line.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { runParallel } from '../../src/sim/parallel.js';
import { mergeFiles } from '../../src/sim/merge.js';
import { cli, smallScenario, tempDir } from './_cli.js';

describe('manifests and replication lines are checked', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const scenario = parseScenario(smallScenario(6));
  const out = join(dir, 'out');
  const run = await runParallel(scenario, { workers: 1, out });
  const good = readFileSync(join(out, 'replications.jsonl'), 'utf8');
  const [head, ...rest] = good.trimEnd().split('\n');

  /** A copy of the file with its manifest changed by `edit`. */
  function withManifest(name: string, edit: (m: Record<string, any>) => void): string {
    const m = JSON.parse(head!).manifest;
    edit(m);
    const file = join(dir, name);
    writeFileSync(file, [JSON.stringify({ manifest: m }), ...rest].join('\n') + '\n');
    return file;
  }

  it('the reference run is complete and merges', () => {
    expect(run.status).toBe('complete');
    expect(mergeFiles([join(out, 'replications.jsonl')]).scenario.replications).toBe(6);
  });

  it('a manifest without a field is refused naming the file and the field', () => {
    const noGraph = withManifest('no-graph.jsonl', (m) => delete m.graph);
    expect(() => mergeFiles([noGraph])).toThrow(`${noGraph}: the manifest on line 1 lacks field manifest.graph`);
    const noUnits = withManifest('no-units.jsonl', (m) => delete m.designs[1].units);
    expect(() => mergeFiles([noUnits])).toThrow('lacks field manifest.designs[1].units');
    const noReps = withManifest('no-reps.jsonl', (m) => delete m.replications);
    expect(() => mergeFiles([noReps])).toThrow('lacks field manifest.replications');
  });

  it('an invalid field is refused naming it', () => {
    const bad = withManifest('bad-reps.jsonl', (m) => (m.replications = 'six'));
    expect(() => mergeFiles([bad])).toThrow(`${bad}: the manifest on line 1 has an invalid field manifest.replications`);
    const shard = withManifest('bad-shard.jsonl', (m) => (m.shard = { index: 0 }));
    expect(() => mergeFiles([shard])).toThrow('lacks field manifest.shard.count');
  });

  it('the CLI says so without a stack trace', () => {
    const noDesigns = withManifest('no-designs.jsonl', (m) => delete m.designs);
    const r = cli(['merge', noDesigns]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('lacks field manifest.designs');
    expect(r.err).not.toMatch(/TypeError|\n\s+at /);
  });

  /** An --out folder whose replication file is the good one plus `extra` lines. */
  function outWith(name: string, extra: string[]): string {
    const d = join(dir, name);
    mkdirSync(d);
    writeFileSync(join(d, 'replications.jsonl'), good + extra.map((l) => l + '\n').join(''));
    return d;
  }

  it('resume refuses a replication outside 0..replications-1, naming the line', async () => {
    const line = JSON.stringify({ rep: 99999, rows: JSON.parse(rest[0]!).rows });
    await expect(runParallel(scenario, { workers: 1, out: outWith('range', [line]), resume: true })).rejects.toThrow(
      /line 8 holds replication 99999, outside 0\.\.5/,
    );
    const negative = JSON.stringify({ rep: -1, rows: [] });
    await expect(runParallel(scenario, { workers: 1, out: outWith('negative', [negative]), resume: true })).rejects.toThrow(
      /line 8 holds replication -1, outside 0\.\.5/,
    );
  });

  it('resume refuses a duplicate replication, naming the line', async () => {
    await expect(runParallel(scenario, { workers: 1, out: outWith('dup', [rest[2]!]), resume: true })).rejects.toThrow(
      /replication 2 appears twice \(line 8\)/,
    );
  });

  it('resume refuses a replication of another shard', async () => {
    const d = join(dir, 'shard');
    const s = await runParallel(scenario, { workers: 1, out: d, shard: { index: 0, count: 2 } });
    expect(s.status).toBe('complete');
    const file = join(d, 'shard-0.jsonl');
    copyFileSync(file, file + '.bak');
    writeFileSync(file, readFileSync(file, 'utf8') + rest[1] + '\n');
    await expect(runParallel(scenario, { workers: 1, out: d, shard: { index: 0, count: 2 }, resume: true })).rejects.toThrow(
      /line 5 holds replication 1, not one of shard 0\/2/,
    );
  });
});
