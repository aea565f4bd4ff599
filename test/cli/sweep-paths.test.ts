// spillover sweep --vary takes only paths that already exist in the scenario:
// prototype keys and unknown keys end with a clear message and exit 2, and
// nothing is written to Object.prototype. Runs the built CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setPath } from '../../src/sim/sweep.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';

const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-sweep-'));
const scenario = {
  replications: 3,
  graph: { generator: 'sbm', blocks: 4, blockSize: 20, pIn: 0.3, pOut: 0.01 },
  model: { type: 'linear-in-means', beta: 1, gamma: 1 },
  designs: [{ type: 'user-bernoulli', p: 0.5 }],
};
const file = join(dir, 'scenario.json');
writeFileSync(file, JSON.stringify(scenario));

const sweep = (vary: string) => {
  const r = spawnSync(process.execPath, [bin, 'sweep', file, '--vary', vary, '--workers', '1', '--quiet'], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('sweep --vary paths', () => {
  it('refuses __proto__ with exit 2 and leaves Object.prototype alone', () => {
    const r = sweep('__proto__.x=1');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--vary __proto__.x');
    expect(r.err).toContain('no key "__proto__"');
    expect(r.err).toMatch(/allowed keys at the scenario: .*model/);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.out).toBe('');
    expect(() => setPath(parseScenario(scenario), '__proto__.x', 1)).toThrow(/no key "__proto__"/);
    expect(() => setPath(parseScenario(scenario), 'constructor.prototype.x', 1)).toThrow(/no key "constructor"/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses a key that is not in the scenario, naming the allowed keys', () => {
    const r = sweep('model.gama=0,1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--vary model\.gama: "model" has no key "gama"; allowed keys at "model": .*gamma/);
    expect(r.out).toBe('');
  });

  it('still runs a valid path', () => {
    const r = sweep('model.gamma=0,0.5');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^path,value,design/);
    expect(lines.some((l) => l.startsWith('model.gamma,0.5,'))).toBe(true);
  });
});
