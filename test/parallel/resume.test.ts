// Finished replications survive a crash: kill -9 the CLI mid-run, resume,
// and the summary equals an uninterrupted run byte for byte. A torn last
// line is dropped; a different scenario is refused; Ctrl-C stops cleanly.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { runParallel } from '../../src/sim/parallel.js';
import { cli, cliAsync, read, smallScenario, tempDir, writeScenario } from './_cli.js';

/** Lines in a file (0 when missing). */
const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);

async function waitFor(cond: () => boolean, ms = 20_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// big enough that a run takes a few seconds, so a kill lands mid-run
// (difference in means only: HT's one-off exposure work would dominate the run)
const slow = smallScenario(120, {
  graph: { generator: 'sbm', blocks: 20, blockSize: 500, pIn: 0.02, pOut: 0.0001 },
  estimators: ['dm', 'cluster-dm'],
});

describe('resume after a crash', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeScenario(dir, slow);
  const reference = cli(['run', file, '--quiet', '--json', join(dir, 'ref.json')]);
  const out = join(dir, 'out');
  const data = join(out, 'replications.jsonl');
  const run = cliAsync(['run', file, '--out', out, '--workers', '2', '--quiet']);
  await waitFor(() => lines(data) >= 6);
  run.child.kill('SIGKILL');
  const killed = await run.done;
  const before = lines(data) - 1;
  appendFileSync(data, '{"rep":119,"rows":[{"rep":119,"des'); // a line torn by the crash

  it('the killed run left finished lines and was really cut short', () => {
    expect(reference.code).toBe(0);
    expect(killed.signal).toBe('SIGKILL');
    expect(before).toBeGreaterThanOrEqual(5);
    expect(before).toBeLessThan(120);
  });

  // refusals come before any work, so they are checked in this process
  it('a different scenario is refused with the field that differs', async () => {
    const other = parseScenario({ ...slow, seed: 99 });
    await expect(runParallel(other, { workers: 1, out, resume: true })).rejects.toThrow(/different scenario \(differs in seed\)/);
  });

  it('without --resume the file is not overwritten', async () => {
    await expect(runParallel(parseScenario(slow), { workers: 1, out })).rejects.toThrow('add --resume');
  });

  it('--resume runs only the missing replications and gives the same bytes', () => {
    const r = cli(['run', file, '--out', out, '--resume', '--json', join(dir, 'resumed.json')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${before} replications resumed`);
    expect(r.out).toBe(reference.out);
    expect(read(join(dir, 'resumed.json'))).toBe(read(join(dir, 'ref.json')));
    expect(lines(data)).toBe(121); // manifest + 120, torn line gone, nothing twice
  });
});

describe('Ctrl-C', { timeout: 60_000 }, () => {
  it('stops dispatching, keeps finished lines, exits 130 saying how to resume', async () => {
    const dir = tempDir();
    const file = writeScenario(dir, slow);
    const data = join(dir, 'out', 'replications.jsonl');
    const run = cliAsync(['run', file, '--out', join(dir, 'out'), '--workers', '2']);
    await waitFor(() => lines(data) >= 3);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.err).toContain('interrupted by SIGINT');
    expect(r.err).toMatch(/--resume\n?$/);
    const text = read(data);
    expect(text.endsWith('\n')).toBe(true);
    const saved = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l).rep);
    expect(r.err).toContain(`${saved.length} of 120 replications are saved`);
  });
});
