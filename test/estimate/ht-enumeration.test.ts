// Exact enumeration of every assignment on tiny graphs: Horvitz–Thompson
// under full-neighbourhood exposure is exactly unbiased for the global
// effect, whatever the design, because its exposure probabilities are exact.
// (Its Aronow–Samii variance is negative in a few assignments, where the
// estimator reports the replication undefined: the point estimate is then
// taken from the formula, and checked against the estimator elsewhere.)
import { describe, expect, it } from 'vitest';
import { createDesign, doseOf, type Design, type DesignSpec } from '../../src/design/index.js';
import { createModel, globalEffect } from '../../src/model/index.js';
import { getEstimator, probabilitiesFor, IPW_DEFAULTS } from '../../src/estimate/index.js';
import { exposureMapping } from '../../src/estimate/exposure/index.js';
import { stream } from '../../src/random/streams.js';
import type { SocialGraph } from '../../src/graph/csr.js';
import { nineNodes } from '../helpers/graphs.js';
import { schemeOf } from '../helpers/designs.js';

// the 9-node graph of test/helpers: closed neighbourhoods of at most 4 users, so complete
// randomization of 4 or 5 of the 9 gives every user a positive chance of both worlds (positivity)
const graph: SocialGraph = nineNodes();

/** All unit assignments with their probabilities. */
function* assignments(d: Design): Generator<[Uint8Array, number]> {
  const C = d.units.count;
  for (let mask = 0; mask < 1 << C; mask++) {
    const z = new Uint8Array(C);
    let ones = 0;
    for (let u = 0; u < C; u++) ones += z[u] = (mask >> u) & 1;
    const s = schemeOf(d);
    if (s.kind === 'bernoulli') yield [z, s.p ** ones * (1 - s.p) ** (C - ones)];
    else if (s.kind === 'complete' && ones === s.treated) yield [z, 1 / binom(C, ones)];
  }
}
const binom = (n: number, k: number): number => (k === 0 ? 1 : (binom(n - 1, k - 1) * n) / k);

function expectation(spec: DesignSpec, estimator: string) {
  const design = createDesign({ graph, rng: (p) => stream(1, p) }, spec);
  const model = createModel({ graph }, { type: 'linear-in-means', alpha: 2, beta: 1.5, gamma: -3, sigma: 1, homophily: 0 });
  const draw = model.draw((p) => stream(7, p));
  const truth = globalEffect(model, draw, 9)[0]!;
  const ctx = { graph, design, cache: new Map() };
  const run = getEstimator(estimator).prepare(ctx);
  const pr = estimator === 'ht' ? probabilitiesFor(ctx, IPW_DEFAULTS) : null;
  const ex = new Int8Array(9);
  const dose = new Float64Array(9);
  const y = [new Float64Array(9)];
  let total = 0;
  let mass = 0;
  let defined = 0;
  let negative = 0;
  for (const [z, prob] of assignments(design)) {
    doseOf(design.units, z, dose);
    model.outcomes(draw, { dose, threadOn: null }, y, []);
    const out = run({ dose, unitZ: z, y: y[0]!, den: null, memo: new Map() });
    let e = out.estimate;
    if (pr) {
      exposureMapping({ kind: 'full' }).classify(graph.csr, dose, ex);
      let ht = 0;
      for (let i = 0; i < 9; i++) ht += ex[i] === 1 ? y[0]![i]! / pr.p1[i]! / 9 : ex[i] === 0 ? -y[0]![i]! / pr.p0[i]! / 9 : 0;
      if (Number.isFinite(e)) expect(e).toBeCloseTo(ht, 12);
      else (expect(out.reason).toBe('negative-variance'), (negative += prob));
      e = ht;
    }
    mass += prob;
    // difference in means is undefined with an empty arm: condition on defined
    if (Number.isFinite(e)) ((total += prob * e), (defined += prob));
  }
  return { mean: total / defined, truth, mass, defined, negative };
}

const designs: DesignSpec[] = [
  { type: 'user-bernoulli', p: 0.3 },
  { type: 'user-complete', p: 0.45 },
  { type: 'cluster', p: 0.6, clustering: { method: 'blocks' } },
  { type: 'thread', p: 0.5 },
];

describe('Horvitz–Thompson is exactly unbiased by enumeration', () => {
  for (const spec of designs) {
    it(`${spec.type}`, () => {
      const { mean, truth, mass, defined } = expectation(spec, 'ht');
      expect(mass).toBeCloseTo(1, 12);
      expect(defined).toBeCloseTo(1, 12); // HT's formula is defined in every assignment
      expect(truth).toBeCloseTo(1.5 - 3, 12); // no isolated nodes: beta + gamma
      expect(mean).toBeCloseTo(truth, 10);
    });
  }
  it('the same enumeration exposes the bias of difference in means', () => {
    // guards against an enumeration that would call anything unbiased
    const { mean, truth } = expectation({ type: 'user-bernoulli', p: 0.3 }, 'dm');
    expect(Math.abs(mean - truth)).toBeGreaterThan(1);
  });
});
