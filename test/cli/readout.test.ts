// spillover readout from the built CLI (npm test builds first): a small
// product scenario reads out; mistakes end in one message, exit 2, no stack.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcement } from '../../src/report/write.js';

const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-readout-'));
const scenario = {
  graph: { generator: 'sbm', blocks: 3, blockSize: 80, pIn: 0.1, pOut: 0.002 },
  threads: { meanThreadsPerUser: 3 },
  model: { type: 'group-calls', horizon: 9, startRate: 0.03 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'thread', name: 'thread', p: 0.5 },
  ],
};
const file = join(dir, 'calls.json');
writeFileSync(file, JSON.stringify(scenario));

const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'readout', ...args], { encoding: 'utf8' });

describe('spillover readout', () => {
  it('prints the table, novelty, segments and a launch call', () => {
    const r = cli(file, '--design', 'thread', '--warmup', '2', '--json', join(dir, 'out.json'));
    expect(r.stderr).toBe(announcement(join(dir, 'out.json')));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('design "thread"');
    expect(r.stdout).toMatch(/successful_group_calls_per_1k_users\s+│ primary/);
    expect(r.stdout).toContain('after a 2-day warm-up');
    expect(r.stdout).toMatch(/launch call: (LAUNCH|DO NOT LAUNCH)/);
  });
  it('names the designs when --design is not one of them', () => {
    const r = cli(file, '--design', 'louvain');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('designs there: user, thread');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
