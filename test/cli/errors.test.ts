// User mistakes end with one clear message naming the field, a non-zero exit
// and no stack trace. Runs the built CLI (npm test builds first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-cli-'));
const good = {
  replications: 5,
  graph: { generator: 'sbm', blocks: 4, blockSize: 30, pIn: 0.3, pOut: 0.01 },
  model: { type: 'linear-in-means', beta: 1, gamma: 1 },
  designs: [{ type: 'user-bernoulli', p: 0.5 }],
};

function cli(args: string[], scenario?: unknown) {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.json`);
  if (scenario !== undefined) writeFileSync(file, typeof scenario === 'string' ? scenario : JSON.stringify(scenario));
  const r = spawnSync(process.execPath, [bin, ...args.map((a) => (a === '$FILE' ? file : a))], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function expectUserError(r: ReturnType<typeof cli>, ...needles: string[]) {
  expect(r.code).toBe(2);
  for (const s of needles) expect(r.err).toContain(s);
  expect(r.err).not.toMatch(/^\s+at /m); // no stack trace
  expect(r.out).toBe('');
}

describe('spillover run: bad input', () => {
  it('a good scenario runs', () => {
    const r = cli(['run', '$FILE', '--quiet'], good);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/user-bernoulli\s+│ dm/);
  });
  it('missing file', () => expectUserError(cli(['run', join(dir, 'nope.json')]), 'cannot read scenario file', 'ENOENT'));
  it('invalid JSON', () => expectUserError(cli(['run', '$FILE'], '{ "graph": '), 'not valid JSON'));
  it('p outside (0, 1) names the field', () =>
    expectUserError(cli(['run', '$FILE'], { ...good, designs: [{ type: 'user-bernoulli', p: 1.5 }] }), 'designs[0].p', '< 1'));
  it('unknown generator lists the allowed ones', () =>
    expectUserError(cli(['run', '$FILE'], { ...good, graph: { generator: 'erdos' } }), 'graph.generator', 'sbm', 'watts-strogatz'));
  it('unknown key is an error, not ignored', () => expectUserError(cli(['run', '$FILE'], { ...good, replicatons: 3 }), 'replicatons'));
  it('unknown estimator', () => expectUserError(cli(['run', '$FILE'], { ...good, estimators: ['ols'] }), 'estimators[0]', 'hajek'));
  it('one cluster is an impossible design and says why', () =>
    expectUserError(
      cli(['run', '$FILE'], {
        ...good,
        graph: { generator: 'sbm', sizes: [50], pIn: 0.2, pOut: 0 },
        designs: [{ type: 'cluster', p: 0.5, clustering: { method: 'blocks' } }],
      }),
      'found 1 cluster',
      'at least 2',
    ));
  it('thread design without threads', () =>
    expectUserError(cli(['run', '$FILE'], { ...good, designs: [{ type: 'thread', p: 0.5 }] }), 'needs group threads'));
  it('an output path that cannot be written is refused before the run, naming it', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    expectUserError(cli(['run', '$FILE', '--json', join(blocker, 'out.json')], good), 'cannot write', 'out.json');
  });
  it('bad --reps', () => expectUserError(cli(['run', '$FILE', '--reps', 'many'], good), '--reps must be an integer'));
});
