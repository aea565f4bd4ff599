// spillover calibrate from the built CLI (npm test builds first): a small
// search writes a scenario whose own fit (--no-search) is the one the search
// reported; mistakes end in one message, exit 2, no stack.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-calibrate-'));
const scenario = {
  seed: 3,
  graph: { generator: 'sbm', blocks: 3, blockSize: 80, pIn: 0.1, pOut: 0.002 },
  threads: { meanThreadsPerUser: 3 },
  model: { type: 'group-stories', horizon: 10, publicPostRate: 0.02 },
  designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
};
const targets = {
  seeds: [3, 4],
  parameters: { publicPostRate: { min: 0.005, max: 0.2 }, muteIntercept: { min: -6, max: 0 } },
  targets: [
    { metric: 'story_posters', stat: 'control', value: 0.3, tolerance: 0.02 },
    { metric: 'group_mute_rate', stat: 'treatment', value: 0.05, tolerance: 0.01, significant: true },
  ],
};
const file = join(dir, 'stories.json');
const tfile = join(dir, 'targets.json');
writeFileSync(file, JSON.stringify(scenario));
writeFileSync(tfile, JSON.stringify(targets));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'calibrate', ...args], { encoding: 'utf8' });
const loss = (out: string) => Number(/loss ([\d.e+-]+)/.exec(out)![1]);

describe('spillover calibrate', () => {
  it('searches, reports the fit, writes the calibrated scenario, whose own fit is the reported one', () => {
    const out = join(dir, 'calibrated.json');
    const r = cli(file, '--targets', tfile, '--max-evals', '6', '--write', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('6 evaluations');
    expect(r.stdout).toMatch(/story_posters\s+│ control/);
    expect(r.stdout).toMatch(/all targets hit at once: \d+% of the 2 seeds/);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.graph).toEqual(scenario.graph);
    expect(Object.keys(written.model).sort()).toEqual(['horizon', 'muteIntercept', 'publicPostRate', 'type']);
    const again = cli(out, '--targets', tfile, '--no-search', '--check', '3');
    expect(again.status).toBe(0);
    expect(loss(again.stdout)).toBe(loss(r.stdout));
    expect(again.stdout).toMatch(/lands in every target's range in \d+ of 3 seeds/);
  });
  it('refuses a targets file that is not valid, with one message', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...targets, targets: [{ metric: 'story_posters', stat: 'median', value: 1, tolerance: 1 }] }));
    const r = cli(file, '--targets', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('targets.0.stat');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
