// The benchmark scripts still run (quick mode: tiny graphs, no timing
// assertions; figures belong in bench/README.md, not in tests).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '../../dist/bench');

describe('bench scripts, quick mode', { timeout: 60_000 }, () => {
  it.each(['replicate', 'workers', 'louvain', 'scale'])('%s', (name) => {
    const r = spawnSync(process.execPath, [join(dist, `${name}.js`), '--quick'], { encoding: 'utf8', timeout: 50_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.bench).toBe(name);
    expect(out.nodes).toBeGreaterThan(0);
  });
});
