// A replication that throws in a worker is reported with its number and seed,
// finished replications are kept, and the process exits (no hang, no orphan
// worker keeping it alive). SPILLOVER_FAIL_REP is the worker's test hook.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { cli, read, smallScenario, tempDir, writeScenario } from './_cli.js';

describe('a failing replication', { timeout: 60_000 }, () => {
  const dir = tempDir();
  const file = writeScenario(dir, smallScenario(40));
  const out = join(dir, 'out');
  const r = cli(['run', file, '--out', out, '--workers', '2', '--quiet'], { SPILLOVER_FAIL_REP: '13' }, 20_000);

  it('exits non-zero, promptly, naming the replication and the seed', () => {
    expect(r.signal).toBeNull(); // not killed by the timeout: no hang
    expect(r.code).toBe(2);
    expect(r.err).toContain('replication 13 failed');
    expect(r.err).toContain('seed 17');
    expect(r.err).toContain('SPILLOVER_FAIL_REP');
    expect(r.err).toContain('--resume');
    expect(r.out).toBe('');
  });

  it('keeps the finished replications, and a resume completes the run', () => {
    const saved = read(join(out, 'replications.jsonl'))
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l).rep as number);
    expect(saved).not.toContain(13);
    expect(saved.length).toBeGreaterThanOrEqual(13);
    const resumed = cli(['run', file, '--out', out, '--resume', '--quiet', '--json', join(dir, 'resumed.json')]);
    expect(resumed.code).toBe(0);
    const { results } = runSerial(parseScenario(smallScenario(40)));
    expect(read(join(dir, 'resumed.json'))).toBe(JSON.stringify(results, null, 2) + '\n');
  });

  it('without --out it still exits cleanly and says nothing was saved', () => {
    const x = cli(['run', file, '--workers', '2', '--quiet'], { SPILLOVER_FAIL_REP: '0' }, 20_000);
    expect(x.signal).toBeNull();
    expect(x.code).toBe(2);
    expect(x.err).toContain('replication 0 failed');
    expect(x.err).toContain('nothing was saved');
  });

  it('a worker thread that dies (not a throw) is reported too, without a hang', () => {
    const x = cli(['run', file, '--out', join(dir, 'crash'), '--workers', '2', '--quiet'], { SPILLOVER_CRASH_REP: '5' }, 20_000);
    expect(x.signal).toBeNull();
    expect(x.code).toBe(2);
    expect(x.err).toContain('worker thread exited (code 3)');
    expect(x.err).toMatch(/worker thread died while running replications \d+\.\.\d+ \(seed 17\)/);
    expect(x.err).toContain('--resume');
  });
});
