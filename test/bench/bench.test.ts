// The benchmark scripts still run (quick mode: tiny graphs, no timing
// assertions; figures belong in bench/README.md, not in tests). They run
// concurrently, as separate processes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('cpuprof (self time from a V8 profile)', { timeout: 60_000 }, () => {
  it('puts a function that spins for 0.4 s first, with most of the sampled time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spillover-cpuprof-'));
    const script = join(dir, 'spin.js');
    writeFileSync(
      script,
      'function spinHot() { let x = 0; const t = Date.now(); while (Date.now() - t < 400) x += Math.sqrt(x + 1); return x; }\nspinHot();\n',
    );
    expect(spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, script]).status).toBe(0);
    const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
    const r = spawnSync(process.execPath, [join(dist, 'cpuprof.js'), join(dir, prof), '--top', '3'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { self: { what: string; share: number }[] };
    expect(out.self[0]!.what).toMatch(/^spinHot /);
    // the spin is most of a 0.4 s script's samples (start-up and GC are the rest)
    expect(out.self[0]!.share).toBeGreaterThan(50);
    expect(out.self[0]!.share).toBeLessThanOrEqual(100);
  });
});
