// Estimators of the randomized saturation design against closed forms under
// linear-in-means, y = alpha + beta·z + gamma·(share of treated friends) +
// noise, on disjoint cliques of m users (no friendship crosses clusters).
// In a clique at saturation s, k = s·m users are treated (s·m an integer
// here), so an untreated user has k/(m-1) = s·m/(m-1) treated friends and
// a treated one (k-1)/(m-1). Hence, exactly in expectation (group sizes are
// fixed, assignment independent of the noise):
//   spillover(s) = gamma·s·m/(m-1)          (untreated at s vs pure control)
//   direct(s)    = beta - gamma/(m-1)       (treated vs untreated at s)
//   global       = beta + gamma             (fully treated vs pure control)
// Each mean over replications is tested within 4 Monte Carlo SEs; the
// registered estimator (the global contrast) is unbiased with 95% coverage
// within 4 MC SEs in a full run through the batch path.
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/streams.js';
import { assignment, createDesign, type Draw } from '../../src/design/index.js';
import { createModel } from '../../src/model/index.js';
import { getEstimator } from '../../src/estimate/index.js';
import { groupContrast, saturationEffects } from '../../src/estimate/saturation.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { fromEdgeList } from '../helpers/graphs.js';

const m = 5;
const C = 40;
const S = [0, 0.4, 0.8, 1];
const beta = 2;
const gamma = 1.5;

function cliques() {
  const edges: [number, number][] = [];
  const blocks: number[] = [];
  for (let c = 0; c < C; c++) {
    for (let a = 0; a < m; a++) {
      blocks.push(c);
      for (let b = a + 1; b < m; b++) edges.push([c * m + a, c * m + b]);
    }
  }
  return fromEdgeList(C * m, edges, blocks);
}

describe('saturation estimators', () => {
  it('spillover, direct and global contrasts match their closed forms within 4 MC SE', () => {
    const graph = cliques();
    const n = C * m;
    const d = createDesign({ graph, rng: (p) => stream(3, 'design', p) }, {
      type: 'saturation',
      p: 0.55,
      saturations: S,
      clustering: { method: 'blocks' },
    } as never);
    const st = d.structure;
    if (st.kind !== 'saturation') throw new Error('not a saturation design');
    const model = createModel({ graph }, { type: 'linear-in-means', alpha: 1, beta, gamma, sigma: 1 } as never);
    const R = 300;
    const z = new Uint8Array(n);
    const buffers = { dose: new Float64Array(n), treated: new Uint8Array(n) };
    const y = [new Float64Array(n)];
    const keys = ['global', ...S.flatMap((s) => [`direct${s}`, `spill${s}`])];
    const acc = new Map(keys.map((k) => [k, [] as number[]]));
    for (let r = 0; r < R; r++) {
      const draw = model.draw((p) => stream(5, 'rep', r, p));
      const info = d.drawUnits(stream(5, 'assign', r), z) as Draw;
      if (info.kind !== 'saturation') throw new Error('no saturation draw');
      const a = assignment(d, z, info, buffers);
      model.outcomes(draw, { dose: a.dose, treated: a.treated, threadOn: null }, y, []);
      const e = saturationEffects(st, info.level, a.treated!, y[0]!, null);
      acc.get('global')!.push(e.global.estimate);
      for (const b of e.bySaturation)
        (acc.get(`direct${b.saturation}`)!.push(b.direct.estimate), acc.get(`spill${b.saturation}`)!.push(b.spillover.estimate));
      // the registered estimator is the global contrast
      const est = getEstimator('saturation').prepare({ graph, design: d })({
        dose: a.dose,
        unitZ: z,
        y: y[0]!,
        den: null,
        memo: new Map(),
        draw: info,
      });
      expect(est.estimate).toBeCloseTo(e.global.estimate, 12);
      expect(est.se).toBeCloseTo(e.global.se, 12);
    }
    const check = (key: string, want: number) => {
      const v = acc.get(key)!;
      expect(v.every(Number.isFinite)).toBe(true);
      const mean = v.reduce((s, x) => s + x, 0) / R;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (R - 1));
      expect(Math.abs(mean - want)).toBeLessThan(4 * (sd / Math.sqrt(R)));
    };
    check('global', beta + gamma);
    for (const s of [0.4, 0.8]) {
      check(`spill${s}`, (gamma * s * m) / (m - 1));
      check(`direct${s}`, beta - gamma / (m - 1));
    }
    // no untreated users at 1, no treated at 0: undefined, never a number
    expect(acc.get('spill1')!.every(Number.isNaN)).toBe(true);
    expect(acc.get('direct0')!.every(Number.isNaN)).toBe(true);
  });

  it('the cluster-robust SE by hand on a tiny example', () => {
    // clusters 0,1 in group 1 (users 0-3), clusters 2,3 in group -1 (users 4-7)
    const labels = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    const group = Int8Array.from([1, 1, 1, 1, -1, -1, -1, -1]);
    const y = Float64Array.from([1, 3, 2, 6, 0, 2, 1, 1]);
    const e = groupContrast(labels, 4, group, y, null);
    // means 3 and 1; cluster residual totals /4: (-2/4, 2/4, 0, 0... ) -> (1+3-6)/4 = -0.5, (2+6-6)/4 = 0.5, -(0+2-2)/4 = 0, -(1+1-2)/4 = 0
    expect(e.estimate).toBeCloseTo(2, 12);
    expect(e.se).toBeCloseTo(Math.sqrt((4 / 3) * 0.5), 12);
    expect(e.df).toBe(2);
  });

  it('applies only to saturation designs with saturations 0 and 1', () => {
    const graph = cliques();
    const mk = (saturations: number[], p: number) =>
      createDesign({ graph, rng: (q) => stream(3, 'design', q) }, {
        type: 'saturation',
        p,
        saturations,
        clustering: { method: 'blocks' },
      } as never);
    const est = getEstimator('saturation');
    expect(est.notApplicable(mk([0, 1], 0.5))).toBeNull();
    expect(est.notApplicable(mk([0, 0.5], 0.25))).toMatch(/0 and 1/);
    expect(est.notApplicable(createDesign({ graph, rng: (q) => stream(3, q) }, { type: 'user-bernoulli', p: 0.5 } as never))).toMatch(
      /saturation/,
    );
  });

  it('in a full run (batch path) the global contrast is unbiased and covers 95% within 4 MC SE', () => {
    const scenario = parseScenario({
      name: 'saturation',
      seed: 21,
      replications: 400,
      graph: { generator: 'sbm', blocks: 60, blockSize: 6, pIn: 0.8, pOut: 0 },
      model: { type: 'linear-in-means', alpha: 1, beta, gamma, sigma: 1 },
      designs: [{ type: 'saturation', name: 'sat', p: 0.5, saturations: [0, 0.5, 1], clustering: { method: 'blocks' } }],
      estimators: ['saturation', 'dm'],
    });
    const { results } = runSerial(scenario);
    const row = results.diagnosis.find((x) => x.estimator === 'saturation')!;
    expect(row.bias).not.toBeNull();
    expect(Math.abs(row.bias!)).toBeLessThan(4 * row.biasSE!);
    expect(Math.abs(row.coverage! - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / 400));
  });
});
