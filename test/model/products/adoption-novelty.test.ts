// Novelty from the adoption day (docs/products.md, Adoption): with adoption
// on, the novelty factor 1 + novelty·exp(−a/noveltyDays) of a user's feature
// use takes a = days since that user adopted, not days since the experiment
// started. Checked against the expected count computed here from the model's
// own per-user rates and each user's adoption day, in worlds where nothing
// else moves (no retention feedback, no contagion, no legacy surface, no
// public stories): the count must lie within 4 SE of it, and the same
// computation with novelty from day 0 must lie far outside (so the check can
// fail). And with a hazard of 1 (everyone adopts on day 0) the model equals
// the model without adoption, novelty included.
import { describe, expect, it } from 'vitest';
import { graphWith, model } from './_helpers.js';
import { outcomeBuffers } from '../../../src/model/index.js';
import type { ProductModel } from '../../../src/model/products/product.js';
import type { CallsDraw } from '../../../src/model/products/calls-data.js';
import type { StoriesDraw } from '../../../src/model/products/stories-data.js';
import { stream } from '../../../src/random/streams.js';

const H = 14;
const novelty = 3;
const noveltyDays = 2;
const factor = (a: number) => 1 + novelty * Math.exp(-a / noveltyDays);
const adoption = { hazard: 0.15, perExposure: 0.5, contagion: false };

/** Disjoint threads of `size` members, each a clique in the graph. */
function groups(count: number, size: number) {
  const edges: [number, number][] = [];
  const threads: number[][] = [];
  for (let t = 0; t < count; t++) {
    const m = Array.from({ length: size }, (_, k) => t * size + k);
    threads.push(m);
    for (let a = 0; a < size; a++) for (let b = a + 1; b < size; b++) edges.push([m[a]!, m[b]!]);
  }
  return graphWith(count * size, edges, threads);
}

function allTreated(pm: ProductModel<unknown>, n: number, seed: number) {
  const draw = pm.draw((q) => stream(seed, q));
  const out = outcomeBuffers(pm, n);
  const x = pm.readout(draw, { dose: new Float64Array(n).fill(1), threadOn: null }, out.num, out.den);
  return { draw, out, x };
}

describe('novelty runs from each user’s adoption day', () => {
  it('group-calls: call starts over the horizon match their expectation given the adoption days (4 SE), not novelty from day 0', () => {
    const T = 3000;
    const g = groups(T, 2);
    const n = g.csr.n;
    const spec = {
      type: 'group-calls',
      horizon: H,
      startRate: 0.15,
      legacyStartRate: 0,
      retentionUp: 0,
      retentionDown: 0,
      novelty,
      noveltyDays,
    };
    const pm = model(g, { ...spec, adoption });
    const { draw, out, x } = allTreated(pm, n, 7);
    const { startPow, tieF, baseP } = (draw as CallsDraw).rates;
    const day = x.adoption!.day;
    const k = pm.metrics.findIndex((m) => m.name === 'call_setup_failure_rate');
    const starts = out.den[k]!.reduce((s, v) => s + v, 0);
    // a thread-day has a start with probability E[1 − exp(−Σ available adopted members' rates)], members available with baseP
    const expected = (fromAdoption: boolean) => {
      let mean = 0,
        variance = 0;
      for (let t = 0; t < T; t++)
        for (let d = 0; d < H; d++) {
          const r = [2 * t, 2 * t + 1].map((j) =>
            day[j]! >= 0 && day[j]! <= d ? 0.15 * factor(fromAdoption ? d - day[j]! : d) * tieF[t]! * startPow[j]! : 0,
          );
          const [p0, p1] = [baseP[2 * t]!, baseP[2 * t + 1]!];
          const q =
            p0 * p1 * (1 - Math.exp(-(r[0]! + r[1]!))) + p0 * (1 - p1) * (1 - Math.exp(-r[0]!)) + (1 - p0) * p1 * (1 - Math.exp(-r[1]!));
          mean += q;
          variance += q * (1 - q);
        }
      return { mean, se: Math.sqrt(variance) };
    };
    const right = expected(true);
    const wrong = expected(false);
    expect(Math.abs(starts - right.mean)).toBeLessThan(4 * right.se);
    expect(Math.abs(starts - wrong.mean)).toBeGreaterThan(8 * wrong.se);
    // adoption is spread over the horizon (the test is about late adopters)
    expect(Array.from(day).filter((v) => v >= 3).length).toBeGreaterThan(n / 3);
  });

  it('group-stories: group story posts by day match their expectation given the adoption days (4 SE), not novelty from day 0', () => {
    const g = groups(2000, 3);
    const n = g.csr.n;
    const spec = {
      type: 'group-stories',
      horizon: H,
      groupPostRate: 0.1,
      publicPostRate: 0,
      contagion: 0,
      cannibalisation: 0,
      retentionUp: 0,
      retentionDown: 0,
      novelty,
      noveltyDays,
    };
    const pm = model(g, { ...spec, adoption });
    const { draw, x } = allTreated(pm, n, 9);
    const { gp, baseP } = (draw as StoriesDraw).rates;
    const day = x.adoption!.day;
    let total = 0;
    for (const v of x.daily) total += v;
    const expected = (fromAdoption: boolean) => {
      let mean = 0,
        variance = 0;
      for (let i = 0; i < n; i++)
        for (let e = Math.max(0, day[i]!); e < H && day[i]! >= 0; e++) {
          const q = baseP[i]! * Math.min(1, gp[i]! * factor(fromAdoption ? e - day[i]! : e));
          mean += q;
          variance += q * (1 - q);
        }
      return { mean, se: Math.sqrt(variance) };
    };
    const right = expected(true);
    const wrong = expected(false);
    expect(Math.abs(total - right.mean)).toBeLessThan(4 * right.se);
    expect(Math.abs(total - wrong.mean)).toBeGreaterThan(8 * wrong.se);
  });

  it.each([
    ['group-calls', { type: 'group-calls', startRate: 0.03, novelty: 2, noveltyDays: 3 }],
    ['group-stories', { type: 'group-stories', groupPostRate: 0.05, novelty: 2, noveltyDays: 3 }],
  ])('%s: a hazard of 1 (all adopt on day 0) is the model without adoption, with novelty on', (_, spec) => {
    const g = groups(300, 4);
    const n = g.csr.n;
    const a = model(g, { ...spec, horizon: H, adoption: { hazard: 1, perExposure: 0.5 } });
    const b = model(g, { ...spec, horizon: H });
    const dose = Float64Array.from({ length: n }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const da = a.draw((q) => stream(3, q));
    const db = b.draw((q) => stream(3, q));
    const oa = outcomeBuffers(a, n);
    const ob = outcomeBuffers(b, n);
    const xa = a.readout(da, { dose, threadOn: null }, oa.num, oa.den);
    const xb = b.readout(db, { dose, threadOn: null }, ob.num, ob.den);
    expect(oa.num).toEqual(ob.num);
    expect(oa.den).toEqual(ob.den);
    expect(xa.daily).toEqual(xb.daily);
  });
});
