// Adoption's friends rule (complex contagion on distinct friends,
// docs/products.md, Adoption): a user who has not adopted adopts on day d with
// probability 1 − (1 − hazard)(1 − perExposure·[k ≥ threshold]), k being the
// number of their graph friends using the feature at the end of day d − 1.
// Checked against an independent re-implementation written here (a full scan
// of every user's friends each day, from a copy of yesterday's state) with
// the same uniforms: the adoption and lapse days must be the same, in the
// module and in both product models' all-treated world; against the law of a
// pair of friends (a Markov chain computed here); and `contagion: false` (or
// no network effects) must be the baseline hazard alone.
import { describe, expect, it } from 'vitest';
import { adoptDay, makeAdoption, resetAdoption, type AdoptionParams } from '../../../src/model/products/adoption.js';
import { csrFromEdges, threadsFromLists, type CSR } from '../../../src/graph/csr.js';
import { dayKey, u01 } from '../../../src/random/hash.js';
import { stream } from '../../../src/random/streams.js';
import { outcomeBuffers } from '../../../src/model/index.js';
import type { ProductModel } from '../../../src/model/products/product.js';
import { productPlan } from '../../helpers/product-plan.js';

interface Params {
  hazard: number;
  perExposure: number;
  threshold: number;
  lapse: number;
}

/** The friends rule the slow way: each day every eligible user's friends counted from a copy of yesterday's state. */
function reference(adj: number[][], eligible: boolean[], p: Params, key: number, lapseKey: number, H: number) {
  const n = adj.length;
  const using = new Array<boolean>(n).fill(false);
  const day = new Array<number>(n).fill(-1);
  const lapsed = new Array<number>(n).fill(-1);
  for (let d = 0; d < H; d++) {
    const yesterday = using.slice();
    for (let i = 0; i < n; i++) {
      if (yesterday[i]) {
        if (p.lapse > 0 && u01(dayKey(lapseKey, d), i) < p.lapse) ((using[i] = false), (lapsed[i] = d));
        continue;
      }
      if (!eligible[i] || lapsed[i]! >= 0) continue;
      const k = adj[i]!.filter((j) => yesterday[j]).length;
      const prob = 1 - (1 - p.hazard) * (1 - p.perExposure * (k >= p.threshold ? 1 : 0));
      if (u01(dayKey(key, d), i) < prob) ((using[i] = true), (day[i] = d));
    }
  }
  return { day, lapsed };
}

function adjacency(g: CSR): number[][] {
  return Array.from({ length: g.n }, (_, i) => Array.from(g.nbrs.subarray(g.offsets[i]!, g.offsets[i + 1]!)));
}

function randomGraph(n: number, m: number, seed: number): CSR {
  const u = stream(seed, 'edges');
  const a: number[] = [];
  const b: number[] = [];
  for (let e = 0; e < m; e++) {
    const x = Math.floor(u() * n);
    const y = Math.floor(u() * n);
    if (x !== y) (a.push(x), b.push(y));
  }
  return csrFromEdges(n, a, b).csr;
}

/** The module's friends rule on a graph, every user in one thread of their own that has the feature where eligible. */
function moduleDays(g: CSR, eligible: boolean[], p: Params, contagion: boolean, key: number, lapseKey: number, H: number) {
  const n = g.n;
  const th = threadsFromLists(
    n,
    Array.from({ length: n }, (_, i) => [i]),
  );
  const has = Uint8Array.from(eligible, (e) => (e ? 1 : 0));
  const a = makeAdoption(n);
  const ap: AdoptionParams = { ...p, contagion: true, rule: 'friends' };
  resetAdoption(a, th, has);
  for (let d = 0; d < H; d++) adoptDay(a, ap, contagion, key, lapseKey, d, g);
  return { day: Array.from(a.day), lapsed: Array.from(a.lapsed) };
}

describe('adoption, friends rule: the module', () => {
  const g = randomGraph(400, 1200, 5);
  const adj = adjacency(g);
  const elig = stream(5, 'eligible');
  const eligible = Array.from({ length: g.n }, () => elig() < 0.8);
  const H = 30;

  it.each([
    [{ hazard: 0.01, perExposure: 0.4, threshold: 2, lapse: 0.05 }],
    [{ hazard: 0.02, perExposure: 0.9, threshold: 1, lapse: 0 }],
    [{ hazard: 0.005, perExposure: 0.6, threshold: 3, lapse: 0.02 }],
  ])('adoption and lapse days equal an independent full-scan re-implementation with the same uniforms (%o)', (p) => {
    const key = 123456789;
    const lapseKey = 987654321;
    const got = moduleDays(g, eligible, p, true, key, lapseKey, H);
    const want = reference(adj, eligible, p, key, lapseKey, H);
    expect(got.day).toEqual(want.day);
    expect(got.lapsed).toEqual(want.lapsed);
    // the contagion is active: some adoption happened at a hazard above the baseline
    const base = reference(adj, eligible, { ...p, perExposure: 0 }, key, lapseKey, H);
    expect(got.day).not.toEqual(base.day);
  });

  it('contagion off: the baseline hazard alone (perExposure 0 in the re-implementation)', () => {
    const p = { hazard: 0.01, perExposure: 0.4, threshold: 2, lapse: 0.05 };
    const got = moduleDays(g, eligible, p, false, 42, 43, H);
    const want = reference(adj, eligible, { ...p, perExposure: 0 }, 42, 43, H);
    expect(got.day).toEqual(want.day);
    expect(got.lapsed).toEqual(want.lapsed);
  });

  it('a pair of friends, threshold 1: the share adopted by each day matches the Markov chain within 4 SE', () => {
    const pairs = 20000;
    const H2 = 10;
    const p = { hazard: 0.05, perExposure: 0.5, threshold: 1, lapse: 0 };
    const a: number[] = [];
    const b: number[] = [];
    for (let k = 0; k < pairs; k++) (a.push(2 * k), b.push(2 * k + 1));
    const pg = csrFromEdges(2 * pairs, a, b).csr;
    const got = moduleDays(pg, new Array<boolean>(2 * pairs).fill(true), p, true, 777, 778, H2);
    // the chain on (none, one, both) adopted at the end of a day
    const h = p.hazard;
    const r = 1 - (1 - h) * (1 - p.perExposure);
    let [s0, s1, s2] = [1, 0, 0];
    for (let d = 0; d < H2; d++) {
      [s0, s1, s2] = [s0 * (1 - h) ** 2, s0 * 2 * h * (1 - h) + s1 * (1 - r), s0 * h * h + s1 * r + s2];
      // per pair, x = share of its two users adopted: mean s1/2 + s2, variance from E[x^2] = s1/4 + s2
      const m = s1 / 2 + s2;
      const sd = Math.sqrt(s1 / 4 + s2 - m * m);
      let share = 0;
      for (let i = 0; i < 2 * pairs; i++) if (got.day[i]! >= 0 && got.day[i]! <= d) share++;
      share /= 2 * pairs;
      expect(Math.abs(share - m)).toBeLessThan((4 * sd) / Math.sqrt(pairs));
    }
    // and the contagion is visible: more than the geometric law without it
    const geo = 1 - (1 - h) ** H2;
    expect(s1 / 2 + s2 - geo).toBeGreaterThan(0.1);
  });
});

// The models: in the all-treated world every user in a thread has the feature,
// so the friends rule's adoption days depend on the graph, the hazard and the
// draw's adoption and lapse keys alone, and the re-implementation gives them.
const H = 21;
const setup = (model: Record<string, unknown>) => productPlan(model, { blocks: 4, blockSize: 100, pIn: 0.08, pOut: 0.002 });

function run(pm: ProductModel<unknown>, n: number, draw: unknown, on: number) {
  const b = outcomeBuffers(pm, n);
  const dose = new Float64Array(n);
  for (let i = 0; i < n; i++) dose[i] = on === 1 ? 1 : on === 0 ? 0 : i % 2;
  const x = pm.readout(draw, { dose, threadOn: null }, b.num, b.den);
  return { ...b, x };
}

const adoption = { hazard: 0.01, perExposure: 0.5, threshold: 2, lapse: 0.03, rule: 'friends' };
describe.each([
  ['group-calls', { type: 'group-calls', horizon: H, startRate: 0.03 }],
  ['group-stories', { type: 'group-stories', horizon: H, groupPostRate: 0.05 }],
])('%s: adoption, friends rule', (_, base) => {
  it('all-treated world: adoption and lapse days equal the re-implementation, for 3 draws', () => {
    const { pm, n, plan } = setup({ ...base, adoption });
    const th = plan.graph.threads!;
    const adj = adjacency(plan.graph.csr);
    const eligible = Array.from({ length: n }, (_, i) => th.userOffsets[i + 1]! > th.userOffsets[i]!);
    for (let s = 1; s <= 3; s++) {
      const draw = pm.draw((q) => stream(s, q)) as { adoptKey: number; lapseKey: number };
      const got = run(pm, n, draw, 1).x.adoption!;
      const want = reference(adj, eligible, adoption, draw.adoptKey, draw.lapseKey, H);
      expect(Array.from(got.day)).toEqual(want.day);
      expect(Array.from(got.lapsed)).toEqual(want.lapsed);
      expect(want.day).not.toEqual(reference(adj, eligible, { ...adoption, perExposure: 0 }, draw.adoptKey, draw.lapseKey, H).day);
    }
  });

  it('contagion: false is the baseline hazard alone: every output equals the simple rule without contagion, in three worlds', () => {
    const a = setup({ ...base, adoption: { ...adoption, contagion: false } });
    const b = setup({ ...base, adoption: { ...adoption, rule: 'simple', contagion: false } });
    const n = a.n;
    const da = a.pm.draw((q) => stream(4, q));
    const db = b.pm.draw((q) => stream(4, q));
    for (const on of [1, 0, 2]) {
      const oa = run(a.pm, n, da, on);
      const ob = run(b.pm, n, db, on);
      expect(oa.num).toEqual(ob.num);
      expect(oa.den).toEqual(ob.den);
      expect(oa.x.daily).toEqual(ob.x.daily);
      expect(oa.x.adoption).toEqual(ob.x.adoption);
    }
  });

  it('without network effects the friends rule is the baseline hazard alone too', () => {
    const a = setup({ ...base, networkEffects: false, adoption });
    const b = setup({ ...base, networkEffects: false, adoption: { ...adoption, contagion: false } });
    const n = a.n;
    const da = a.pm.draw((q) => stream(5, q));
    const db = b.pm.draw((q) => stream(5, q));
    for (const on of [1, 2]) {
      const oa = outcomeBuffers(a.pm, n);
      const ob = outcomeBuffers(b.pm, n);
      const dose = Float64Array.from({ length: n }, (_, i) => (on === 1 ? 1 : i % 2));
      a.pm.outcomes(da, { dose, threadOn: null }, oa.num, oa.den);
      b.pm.outcomes(db, { dose, threadOn: null }, ob.num, ob.den);
      expect(oa.num).toEqual(ob.num);
      expect(oa.den).toEqual(ob.den);
    }
  });
});
