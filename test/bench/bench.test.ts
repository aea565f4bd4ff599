// The benchmark scripts still run (quick mode: tiny graphs, no timing
// assertions; figures belong in bench/README.md, not in tests). They run
// concurrently, as separate processes.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '../../dist/bench');

function quick(name: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(dist, `${name}.js`), '--quick']);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('bench scripts, quick mode', { timeout: 60_000 }, async () => {
  const names = ['replicate', 'workers', 'louvain', 'scale', 'products', 'products-scale', 'rgcr-small-world', 'rgcr-joints'];
  const runs = await Promise.all(names.map(quick));
  it.each(names.map((n, i) => [n, i] as const))('%s', (name, i) => {
    const r = runs[i]!;
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.bench).toBe(name);
    expect(out.nodes).toBeGreaterThan(0);
  });
});
