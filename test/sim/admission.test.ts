// Admission before allocation: sizes a scenario implies are refused from the
// scenario alone, naming the field, the estimate and the limit; every shipped
// scenario is admitted with the default limits.
import { availableParallelism } from 'node:os';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admit, defaultMaxMemory } from '../../src/sim/admission.js';
import { loadScenario, parseScenario } from '../../src/sim/scenario.js';
import { formatBytes, parseSize } from '../../src/input-file.js';
import { UserError } from '../../src/errors.js';
import { pairBudget, setPairBudget } from '../../src/estimate/exposure/budget.js';

const base = {
  replications: 5,
  graph: { generator: 'sbm', blocks: 4, blockSize: 30, pIn: 0.3, pOut: 0.01 },
  model: { type: 'linear-in-means', beta: 1, gamma: 1 },
  designs: [{ type: 'user-bernoulli', p: 0.5 }],
};
const quiet = { warn: () => {} };
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('not refused');
};
const admitted = (patch: object, o = {}) => admit(parseScenario({ ...base, ...patch }), { ...quiet, ...o });

describe('admit', () => {
  it('admits a small scenario and estimates its size', () => {
    const a = admitted({});
    expect(a.nodes).toBe(120);
    expect(a.bytes).toBeGreaterThan(0);
    expect(a.bytes).toBeLessThan(2 ** 30);
  });

  it('refuses graphs beyond the arrays or the memory, naming the field', () => {
    expect(refusal(() => admitted({ graph: { generator: 'watts-strogatz', n: 1e9, k: 10, beta: 0.1 } }))).toMatch(
      /^graph\.n = 1000000000: .*edges/,
    );
    expect(refusal(() => admitted({ graph: { generator: 'barabasi-albert', n: 1e9, m: 2 } }, { maxMemory: 2 ** 34 }))).toMatch(
      /^graph\.n = 1000000000: about \d+ GB for the graph \(CSR\) exceeds --max-memory 16 GB; lower graph\.n or raise --max-memory/,
    );
    expect(refusal(() => admitted({ graph: { generator: 'sbm', sizes: [1e9], pIn: 0.1, pOut: 0 } }))).toMatch(
      /^graph\.sizes = \[1000000000\]/,
    );
    expect(refusal(() => admitted({ graph: { generator: 'torus', side: 46340 } }))).toMatch(/^graph\.side = 46340/);
  });

  it('refuses thread memberships, mixtures and workers by memory', () => {
    // (no ht/hajek: their 5e7 dependent pairs would be refused first)
    const big = { graph: { generator: 'watts-strogatz', n: 1e6, k: 10, beta: 0.1 }, estimators: ['dm', 'cluster-dm'] };
    expect(refusal(() => admitted({ ...big, threads: { meanThreadsPerUser: 1000 } }, { maxMemory: 2 ** 32 }))).toMatch(
      /^threads\.meanThreadsPerUser = 1000: about .* thread memberships exceeds --max-memory 4\.0 GB/,
    );
    const mixture = { type: 'mixture', p: 0.5, k: 5000, clustering: { method: 'one-hop-max' } };
    expect(refusal(() => admitted({ ...big, designs: [mixture] }, { maxMemory: 2 ** 32 }))).toMatch(/^designs\[0\]\.k = 5000/);
    expect(refusal(() => admitted(big, { workers: 200, maxMemory: 2 ** 32 }))).toMatch(/^--workers 200: about .* workers' buffers/);
  });

  it('refuses dependent pairs that will not fit, naming estimators and the estimate, and installs each list its share', () => {
    // the bench's 200,000-user SBM (mean degree 20): about 200,000 · 20² / 2 = 4.0e7 pairs within two hops, 40 bytes each kept (96 at the peak)
    const sbm = { graph: { generator: 'sbm', blocks: 200, blockSize: 1000, pIn: 0.02, pOut: 0 }, estimators: ['dm', 'ht', 'hajek'] };
    expect(refusal(() => admitted(sbm, { maxMemory: 2 ** 31 }))).toMatch(
      /^estimators = 1 ht\/hajek pair list \(designs × exposure settings\): about 3\.6 GB for about 3\.99e7 dependent pairs .*cannot see heavy-tailed degrees.*exceeds --max-memory 2\.0 GB; .*"variance": false.* or raise --max-memory/,
    );
    // two designs, two lists, each with an equal share of what the graph and buffers leave
    const a = admitted({ ...sbm, designs: [base.designs[0], { type: 'user-bernoulli', name: 'b', p: 0.3 }] }, { maxMemory: 2 ** 34 });
    expect(a.pairShare).toBeGreaterThan(6 * 2 ** 30);
    expect(a.pairShare).toBeLessThan(8 * 2 ** 30);
    expect(pairBudget()?.bytes).toBe(a.pairShare);
    expect(pairBudget()?.limit).toMatch(/each of the 2 pair lists/);
    // "variance": false lists nothing
    expect(() => admitted({ ...sbm, estimators: [{ estimator: 'ht', variance: false }] }, { maxMemory: 2 ** 31 })).not.toThrow();
    // RGCR 3-net on a 9,216-node graph of mean degree 12: users within 6 hops are every pair, n(n - 1)/2 = 42,462,720
    const rgcr = { type: 'rgcr', p: 0.5, clustering: { method: 'net', radius: 3 } };
    const sw = { graph: { generator: 'watts-strogatz', n: 9216, k: 12, beta: 0.1 }, designs: [rgcr], estimators: ['ht'] };
    expect(refusal(() => admitted(sw, { maxMemory: 2 ** 31 }))).toMatch(/about 4\.25e7 dependent pairs .*users within 6 hops/);
    setPairBudget(null);
  });

  it('refuses absurd work, naming the field', () => {
    const big = { graph: { generator: 'watts-strogatz', n: 1e7, k: 10, beta: 0.1 } };
    expect(refusal(() => admitted({ ...big, replications: 1e7 }, { maxMemory: 2 ** 50 }))).toMatch(
      /^replications = 10000000: about .* of work/,
    );
    const ht = { estimator: 'ht', draws: 1e7, batches: 20 };
    // (a memory limit the 5e8 dependent pairs of ht fit in: the work is what is refused)
    expect(refusal(() => admitted({ ...big, estimators: [ht] }, { maxMemory: 2 ** 50 }))).toMatch(
      /^estimators\[0\]\.draws = 10000000: about .* beyond the 30-day limit/,
    );
    expect(refusal(() => admitted(big, { draws: [{ field: '--exact-draws', value: 1e7 }], maxMemory: 2 ** 50 }))).toMatch(
      /^--exact-draws 10000000/,
    );
  });

  it('names --reps when the replications came from the flag', () => {
    const s = parseScenario(base);
    s.replications = 1e9;
    expect(refusal(() => admit(s, { ...quiet, reps: 1e9 }))).toMatch(/^--reps 1000000000: at most 10,000,000 replications/);
  });

  it('warns about more workers than cores and refuses more than 256', () => {
    const lines: string[] = [];
    admit(parseScenario(base), { workers: availableParallelism() + 1, warn: (l) => lines.push(l) });
    expect(lines.join('\n')).toMatch(/--workers \d+ is more than the \d+ cores/);
    expect(refusal(() => admitted({}, { workers: 1000 }))).toMatch(/--workers 1000: at most 256/);
  });

  it('admits every shipped scenario with the default limits', () => {
    const dir = join(import.meta.dirname, '../../scenarios');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')))
      expect(() => admit(loadScenario(join(dir, f)), { workers: availableParallelism(), ...quiet }), f).not.toThrow();
  });
});

describe('schema bounds', () => {
  const issue = (patch: object) => refusal(() => parseScenario({ ...base, ...patch }));
  it('name the field and the bound', () => {
    expect(issue({ replications: 1e12 })).toMatch(/replications: must be at most 10,000,000/);
    expect(issue({ estimators: [{ estimator: 'ht', draws: 1e12 }] })).toMatch(/estimators\[0\]\.draws: must be at most 10,000,000/);
    expect(issue({ estimators: [{ estimator: 'ht', batches: 1e9 }] })).toMatch(/estimators\[0\]\.batches: must be at most/);
    expect(issue({ estimators: [{ estimator: 'ht', draws: 100, batches: 200 }] })).toMatch(/batches: must be at most draws/);
    const mixture = { type: 'mixture', p: 0.5, k: 1e9, clustering: { method: 'one-hop-max' } };
    expect(issue({ designs: [mixture] })).toMatch(/designs\[0\]\.k: must be at most 10,000/);
    expect(issue({ threads: { meanThreadsPerUser: 1e9 } })).toMatch(/threads\.meanThreadsPerUser: must be at most 1000/);
    expect(issue({ graph: { generator: 'sbm', blocks: 1e9, blockSize: 1, pIn: 0.1, pOut: 0 } })).toMatch(/graph\.blocks: must be at most/);
  });
  it('refuse control characters in names', () => {
    expect(issue({ name: 'a\u001b[31mred' })).toMatch(/^.*\n {2}name: must not contain control characters/);
    expect(issue({ designs: [{ type: 'user-bernoulli', p: 0.5, name: 'x\u009b2J' }] })).toMatch(
      /designs\[0\]\.name: must not contain control/,
    );
    expect(parseScenario({ ...base, description: 'two\nlines' }).description).toBe('two\nlines');
  });
});

describe('sizes', () => {
  it('parses and prints sizes', () => {
    expect(parseSize('8G')).toBe(8 * 2 ** 30);
    expect(parseSize('512m')).toBe(512 * 2 ** 20);
    expect(parseSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseSize('1000')).toBe(1000);
    for (const bad of ['', 'lots', '-1G', '0', '1e9']) expect(parseSize(bad)).toBeUndefined();
    expect(formatBytes(18 * 2 ** 30)).toBe('18 GB');
    expect(defaultMaxMemory()).toBeGreaterThan(0);
  });
});
