// The manifest records each input file's content hash: resuming after the
// graph (or a side file) changed, or merging shards run on different files,
// is refused naming the field and the file; unchanged files resume as before.
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeScenario } from './_cli.js';

const email = join(import.meta.dirname, '../../data/email-Eu-core.txt');

describe('input files are verified on resume and merge', { timeout: 120_000 }, () => {
  const dir = tempDir();
  const graph = join(dir, 'graph.txt');
  copyFileSync(email, graph);
  const scenario = {
    name: 'inputs-test',
    seed: 5,
    replications: 40,
    graph: { file: graph, largestComponent: true },
    model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1 },
    designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
    estimators: ['dm'],
  };
  const file = writeScenario(dir, scenario);
  const out = join(dir, 'out');
  const shard0 = cli(['run', file, '--out', out, '--shard', '0/2', '--quiet']);
  const manifest = JSON.parse(readFileSync(join(out, 'shard-0.jsonl'), 'utf8').split('\n')[0]!).manifest;
  const rerun = cli(['run', file, '--out', out, '--shard', '0/2', '--resume', '--quiet']);
  appendFileSync(graph, '0 1\n'); // one more (duplicate) line: a different file, perhaps the same graph
  const resumed = cli(['run', file, '--out', out, '--shard', '0/2', '--resume', '--quiet']);
  const shard1 = cli(['run', file, '--out', out, '--shard', '1/2', '--quiet']);
  const merged = cli(['merge', join(out, 'shard-0.jsonl'), join(out, 'shard-1.jsonl')]);

  it('the manifest holds the graph file with its size and sha256', () => {
    expect(shard0.code).toBe(0);
    const text = readFileSync(email);
    expect(manifest.inputs).toEqual([
      { field: 'graph.file', file: graph, bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') },
    ]);
  });

  it('an unchanged file resumes (nothing left to run)', () => {
    expect(rerun.code).toBe(0);
  });

  it('resume after the graph file changed is refused, naming the field and the file', () => {
    expect(resumed.code).toBe(2);
    expect(resumed.err).toContain('cannot resume');
    expect(resumed.err).toContain(`graph.file (${graph}) has changed since`);
    expect(resumed.err).not.toMatch(/\n\s+at /);
  });

  it('merging shards run on different files is refused, naming both', () => {
    expect(shard1.code).toBe(0);
    expect(merged.code).toBe(2);
    expect(merged.err).toContain('was run on other input files than');
    expect(merged.err).toContain('graph.file');
    expect(merged.err).not.toMatch(/\n\s+at /);
  });
});
