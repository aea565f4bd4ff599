// spillover readout --days R from the built CLI (npm test builds first): how
// long to run, every design of the scenario by day, in the text and the JSON;
// --days below 2 is refused (a Monte Carlo SE needs two replications).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-readout-days-'));
const scenario = {
  graph: { generator: 'sbm', blocks: 3, blockSize: 80, pIn: 0.1, pOut: 0.002 },
  threads: { meanThreadsPerUser: 3 },
  model: { type: 'group-stories', horizon: 9, groupPostRate: 0.05, adoption: { hazard: 0.1, perExposure: 0.2 } },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'thread', name: 'thread', p: 0.5 },
  ],
};
const file = join(dir, 'stories.json');
writeFileSync(file, JSON.stringify(scenario));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'readout', ...args], { encoding: 'utf8' });

describe('spillover readout --days', () => {
  it('prints every design by day with its stable days, and writes them to the JSON with the adoption curves', () => {
    const out = join(dir, 'out.json');
    const r = cli(file, '--days', '3', '--json', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('how long to run: story_post_days');
    expect(r.stdout).toMatch(/user \(user-bernoulli\): bias (stable from day \d|not stable for 7 days)/);
    expect(r.stdout).toMatch(/thread \(thread\): bias (stable from day \d|not stable for 7 days)/);
    expect(r.stdout).toContain('adoption: share of users using the feature');
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.days.replications).toBe(3);
    expect(j.days.designs).toHaveLength(2);
    expect(j.days.designs[0].bias).toHaveLength(9);
    expect(j.adoption.allTreated).toHaveLength(9);
    // adoption on: the decomposition of the daily truth over the replications too
    expect(r.stdout).toContain('novelty and contagion told apart over 3 replications †');
    expect(j.days.decomposition.days.truth).toHaveLength(9);
    expect(j.days.decomposition.days.truth.map((x: { mean: number }) => x.mean)).toEqual(j.days.truth);
  });
  it('refuses --days 1', () => {
    const r = cli(file, '--days', '1');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--days must be an integer >= 2');
  });
});
