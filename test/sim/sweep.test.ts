// Sweeps: paths into the scenario, value lists, the tidy table, and the
// closed form they should reproduce: under user-level Bernoulli randomization
// with linear-in-means interference, the difference in means estimates about
// beta while the truth is beta + gamma * (share of users with friends), so
// its bias is -gamma * (1 - isolated share), linear in gamma.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { buildGraph } from '../../src/sim/build-graph.js';
import { runSerial } from '../../src/sim/run.js';
import { gridPoints, parsePath, parseValues, parseVary, runSweep, setPath, sweepCsv, sweepScenarios } from '../../src/sim/sweep.js';
import { UserError } from '../../src/errors.js';
import { smallScenario } from '../helpers/small-run.js';

describe('paths and values', () => {
  it('parses dot and bracket paths', () => {
    expect(parsePath('designs[0].p')).toEqual(['designs', 0, 'p']);
    expect(parsePath('designs.1.clustering.resolution')).toEqual(['designs', 1, 'clustering', 'resolution']);
    expect(() => parsePath('model..gamma')).toThrow(UserError);
  });

  it('sets a copy and leaves the original alone', () => {
    const s = smallScenario();
    const t = setPath(s, 'designs[0].p', 0.3);
    expect(t.designs[0]!.p).toBe(0.3);
    expect(s.designs[0]!.p).toBe(0.5);
    expect(() => setPath(s, 'designs[5].p', 0.3)).toThrow(/outside the list/);
    expect(() => setPath(s, 'threads.largeShare', 0.3)).toThrow(/the scenario has no key "threads"; allowed keys at the scenario: .*graph/);
    expect(() => setPath(s, 'model.gama', 0.3)).toThrow(/"model" has no key "gama"; allowed keys at "model": .*gamma/);
    expect(() => setPath(s, '__proto__.x', 1)).toThrow(/no key "__proto__" \(prototype keys are never allowed\)/);
    expect(() => setPath(s, 'model.constructor.prototype.x', 1)).toThrow(/no key "constructor"/);
    expect(() => setPath(s, 'designs[0].__proto__.x', 1)).toThrow(/"designs\[0\]" has no key "__proto__"/);
    expect(() => setPath(s, 'designs.length', 1)).toThrow(/outside the list/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('parses lists and ranges', () => {
    expect(parseValues('0,0.1,2e-1')).toEqual([0, 0.1, 0.2]);
    expect(parseValues('0:0.3:0.1')).toEqual([0, 0.1, 0.2, 0.3]);
    expect(parseValues('louvain,blocks')).toEqual(['louvain', 'blocks']);
    expect(parseVary('graph.blocks=5,10')).toEqual({ path: 'graph.blocks', values: [5, 10] });
    expect(() => parseVary('model.gamma')).toThrow(/path=v1,v2/);
  });

  it('validates every value before running: a bad one names the field', () => {
    expect(() => sweepScenarios(smallScenario(), [{ path: 'model.gama', values: [0.1] }])).toThrow(/"model" has no key "gama"/);
    expect(() => sweepScenarios(smallScenario(), [{ path: 'designs[0].p', values: [0.5, 1.5] }])).toThrow(/designs\[0\]\.p=1\.5/);
  });
});

describe('a full factorial grid (repeated --vary)', () => {
  const varies = [parseVary('model.gamma=0,0.5'), parseVary('designs[0].p=0.3,0.5')];

  it('a 2 x 2 grid gives four scenarios, the first parameter varying slowest, each with both values set', () => {
    const points = gridPoints(varies);
    expect(points).toEqual([
      { 'model.gamma': 0, 'designs[0].p': 0.3 },
      { 'model.gamma': 0, 'designs[0].p': 0.5 },
      { 'model.gamma': 0.5, 'designs[0].p': 0.3 },
      { 'model.gamma': 0.5, 'designs[0].p': 0.5 },
    ]);
    const ss = sweepScenarios(smallScenario(), varies);
    expect(ss.map((s) => [(s.model as { gamma: number }).gamma, s.designs[0]!.p])).toEqual([
      [0, 0.3],
      [0, 0.5],
      [0.5, 0.3],
      [0.5, 0.5],
    ]);
    expect(ss[2]!.name).toContain('model.gamma=0.5, designs[0].p=0.3');
  });

  it('a parameter given twice is refused, not silently the last one', () => {
    expect(() => gridPoints([parseVary('model.gamma=0'), parseVary('model.gamma=1')])).toThrow(/given twice/);
  });

  it('the grid CSV has one column per varied parameter', async () => {
    const rows = await runSweep({ ...smallScenario(), replications: 4 }, varies, (s) => runSerial(s).results);
    const csv = sweepCsv(rows).trim().split('\n');
    expect(csv[0]!.startsWith('model.gamma,designs[0].p,design,estimator,metric,')).toBe(true);
    expect(csv.length - 1).toBe(rows.length);
    // every grid point has the same rows (design x estimator x metric)
    const per = new Map<string, number>();
    for (const r of rows) per.set(JSON.stringify(r.point), (per.get(JSON.stringify(r.point)) ?? 0) + 1);
    expect(per.size).toBe(4);
    expect(new Set(per.values()).size).toBe(1);
    expect(csv[1]!.split(',').slice(0, 2)).toEqual(['0', '0.3']);
  });
});

describe('a sweep of interference strength', async () => {
  const base = parseScenario({
    seed: 21,
    replications: 150,
    // sparse communities: about 5% of users have no friends
    graph: { generator: 'sbm', blocks: 30, blockSize: 40, pIn: 0.075, pOut: 0.0004 },
    model: { type: 'linear-in-means', beta: 0.3, gamma: 0, sigma: 1 },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm'],
  });
  const gammas = [0, 0.5, 1, 2];
  const rows = await runSweep(base, [{ path: 'model.gamma', values: gammas }], (s) => runSerial(s).results);
  const user = rows.filter((r) => r.design === 'user');
  const { csr } = buildGraph(base);
  let isolated = 0;
  for (let i = 0; i < csr.n; i++) if (csr.offsets[i] === csr.offsets[i + 1]) isolated++;
  const connected = 1 - isolated / csr.n;

  it('has one row per value x design x estimator x metric', () => {
    expect(rows.length).toBe(gammas.length * 2);
    expect(isolated).toBeGreaterThan(0);
    expect(sweepCsv(rows).trim().split('\n').length).toBe(rows.length + 1);
  });

  it('user-level bias grows linearly in gamma with slope -(1 - isolated share)', () => {
    // Same seed at every gamma (common random numbers): each replication's
    // estimate is exactly linear in gamma, so the bias is too.
    const b = user.map((r) => r.bias!);
    const slope = (b[3]! - b[0]!) / (gammas[3]! - gammas[0]!);
    for (let k = 0; k < gammas.length; k++) expect(b[k]!).toBeCloseTo(b[0]! + slope * gammas[k]!, 9);
    // SD(X - Y) <= SD(X) + SD(Y): a conservative Monte Carlo SE for the slope
    const se = (user[3]!.biasSE! + user[0]!.biasSE!) / (gammas[3]! - gammas[0]!);
    expect(Math.abs(slope - -connected)).toBeLessThan(4 * se);
    expect(slope).toBeLessThan(-0.8);
  });

  it('community randomization removes most of that bias', () => {
    const blocks = rows.filter((r) => r.design === 'blocks');
    expect(Math.abs(blocks[3]!.bias!)).toBeLessThan(0.25 * Math.abs(user[3]!.bias!));
  });

  it('writes a tidy CSV with full-precision numbers and empty cells for undefined values', () => {
    const csv = sweepCsv(rows).split('\n');
    expect(csv[0]).toBe(
      'path,value,design,estimator,metric,units,replications,truth,truth_se,mean,bias,bias_se,sd,rmse,coverage,coverage_se,power,undefined_share,sd_se,rmse_se,power_se',
    );
    const cells = csv[1]!.split(',');
    expect(cells.slice(0, 5)).toEqual(['model.gamma', '0', 'user', 'dm', 'y']);
    expect(Number(cells[10])).toBe(rows[0]!.bias);
    expect(cells[5]).toBe(String(rows[0]!.units));
  });
});
