// Signals at any moment: during set-up, mid-run and mid-resume, SIGINT and
// SIGTERM stop the run within 2 s, keep every finished replication, exit 130
// / 143 and print the resume command; the resumed run gives the bytes of an
// uninterrupted one. One writer per file: a second is refused naming the
// first; a lock left by a killed process is taken over.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliAsync, read, smallScenario, tempDir, writeScenario } from './_cli.js';

const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);

async function waitFor(cond: () => boolean, ms = 90_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Send `signal`, then the seconds until the process exited, with its result. */
async function stopWith(run: ReturnType<typeof cliAsync>, signal: NodeJS.Signals) {
  const t0 = performance.now();
  run.child.kill(signal);
  const r = await run.done;
  return { r, seconds: (performance.now() - t0) / 1000 };
}

// set-up dominated: Monte Carlo exposure probabilities under RGCR take many seconds
const slowSetup = smallScenario(64, {
  graph: { generator: 'torus', side: 40, radius: 1, longRangeMean: 1 },
  designs: [{ type: 'rgcr', name: 'rgcr', p: 0.5, clustering: { method: 'net', radius: 3 } }],
  estimators: [{ estimator: 'ht', draws: 200000, batches: 20 }],
});

// run dominated: the shipped default scenario (20,000 users, group threads), several batches of 32
const slowRun = {
  ...(JSON.parse(read(join(import.meta.dirname, '../../scenarios/default.json'))) as Record<string, unknown>),
  replications: 400,
};

describe('a signal during set-up', { timeout: 120_000 }, () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal}: exits ${code} within 2 s, saying how to resume`, async () => {
      const dir = tempDir();
      const file = writeScenario(dir, slowSetup);
      const out = join(dir, 'out');
      const run = cliAsync(['run', file, '--out', out, '--workers', '2', '--quiet']);
      await new Promise((r) => setTimeout(r, 1500)); // well inside the set-up
      const { r, seconds } = await stopWith(run, signal);
      expect(r.code).toBe(code);
      expect(seconds).toBeLessThan(2);
      expect(r.err).toContain(`interrupted by ${signal}`);
      expect(r.err).toMatch(/--resume\n?$/);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack
      expect(existsSync(`${join(out, 'replications.jsonl')}.lock`)).toBe(false);
    });
  }
});

describe('signals mid-run and mid-resume', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const file = writeScenario(dir, slowRun);
  const reference = cli(['run', file, '--quiet', '--workers', '1', '--json', join(dir, 'ref.json')], {}, 120_000);
  const out = join(dir, 'out');
  const data = join(out, 'replications.jsonl');
  const args = ['run', file, '--out', out, '--workers', '2', '--json', join(dir, 'resumed.json')];

  const first = cliAsync(args);
  await waitFor(() => lines(data) >= 4);
  const mid = await stopWith(first, 'SIGTERM');
  const afterFirst = lines(data) - 1;

  const second = cliAsync([...args, '--resume']);
  await waitFor(() => lines(data) >= afterFirst + 2);
  const midResume = await stopWith(second, 'SIGINT');
  const afterSecond = lines(data) - 1;

  it('SIGTERM mid-run: exit 143 within 2 s, finished lines kept, resume command printed', () => {
    expect(reference.code).toBe(0);
    expect(mid.r.code).toBe(143);
    expect(mid.seconds).toBeLessThan(2);
    expect(afterFirst).toBeGreaterThanOrEqual(3);
    expect(afterFirst).toBeLessThan(400);
    expect(mid.r.err).toContain(`${afterFirst} of 400 replications are saved`);
    expect(mid.r.err).toMatch(/--resume\n?$/);
  });

  it('SIGINT mid-resume: exit 130 within 2 s, more lines kept, none twice', () => {
    expect(midResume.r.code).toBe(130);
    expect(midResume.seconds).toBeLessThan(2);
    expect(afterSecond).toBeGreaterThan(afterFirst);
    expect(afterSecond).toBeLessThan(400);
    const reps = read(data)
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l).rep as number);
    expect(new Set(reps).size).toBe(reps.length);
  });

  it('the final resume gives the bytes of the uninterrupted run', () => {
    const r = cli([...args, '--resume', '--quiet'], {}, 120_000);
    expect(r.code).toBe(0);
    expect(r.out).toBe(reference.out);
    expect(read(join(dir, 'resumed.json'))).toBe(read(join(dir, 'ref.json')));
    expect(lines(data)).toBe(401);
    expect(existsSync(`${data}.lock`)).toBe(false);
  });
});

describe('one writer per replication file', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const file = writeScenario(dir, { ...slowRun, replications: 160 });
  const out = join(dir, 'out');
  const data = join(out, 'replications.jsonl');
  const holder = cliAsync(['run', file, '--out', out, '--workers', '1', '--quiet']);
  await waitFor(() => existsSync(`${data}.lock`));
  const second = cli(['run', file, '--out', out, '--resume', '--quiet']);
  await waitFor(() => lines(data) >= 2);
  holder.child.kill('SIGKILL'); // leaves its lock behind
  await holder.done;
  const stale = existsSync(`${data}.lock`);
  const taken = cli(['run', file, '--out', out, '--resume', '--quiet', '--workers', '1'], {}, 150_000);

  it('a second writer is refused, naming the process that holds the file', () => {
    expect(second.code).toBe(2);
    expect(second.err).toContain(`pid ${holder.child.pid}`);
    expect(second.err).toContain('being written by another spillover process');
    expect(second.err).not.toMatch(/\n\s+at /);
  });

  it('the lock of a killed process is taken over and the run completes', () => {
    expect(stale).toBe(true);
    expect(taken.err).toBe('');
    expect(taken.code).toBe(0);
    expect(lines(data)).toBe(161);
    expect(existsSync(`${data}.lock`)).toBe(false);
  });
});
