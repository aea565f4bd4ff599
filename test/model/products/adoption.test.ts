// Adoption as a state (scenario `adoption`, docs/products.md). Checked against
// what must hold whatever the parameters: adoption is pathwise no later with
// contagion than without (same uniforms, a hazard at least the baseline);
// without contagion it is the geometric law 1 − (1 − h)^(d+1) among users who
// have the feature; no one adopts where no one has the feature; a hazard of 1
// (everyone with the feature adopts on day 0) gives exactly the model without
// adoption. And the claim: with contagion, a user-level experiment's
// bias on the daily primary grows over the days, because treated users, half
// of whose friends lack the feature, adopt more slowly than in the all-treated world.
import { describe, expect, it } from 'vitest';
import { outcomeBuffers } from '../../../src/model/index.js';
import type { ProductModel } from '../../../src/model/products/product.js';
import { adoptedByDay } from '../../../src/model/products/adoption.js';
import { stream } from '../../../src/random/streams.js';
import type { World } from '../../../src/model/model.js';
import { productPlan } from '../../helpers/product-plan.js';

const H = 21;
const R = 12;

const setup = (model: Record<string, unknown>) => productPlan(model, { blocks: 6, blockSize: 150, pIn: 0.08, pOut: 0.001 });

const worldOf = (n: number, on: boolean): World => ({ dose: new Float64Array(n).fill(on ? 1 : 0), threadOn: null });

function run(pm: ProductModel<unknown>, n: number, draw: unknown, w: World) {
  const b = outcomeBuffers(pm, n);
  const x = pm.readout(draw, w, b.num, b.den);
  return { ...b, x };
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const se = (a: number[]) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1) / a.length);
};

const calls = { type: 'group-calls', horizon: H, startRate: 0.03, novelty: 0 };
const stories = { type: 'group-stories', horizon: H, groupPostRate: 0.05, novelty: 0 };
const adoption = { hazard: 0.01, perExposure: 0.3 };

describe.each([
  ['group-calls', calls],
  ['group-stories', stories],
])('%s: adoption curves', (_, base) => {
  const on = setup({ ...base, adoption: { ...adoption, contagion: true } });
  const off = setup({ ...base, adoption: { ...adoption, contagion: false } });
  const n = on.n;
  const curves = Array.from({ length: R }, (_, r) => {
    const dOn = on.pm.draw((p) => stream(r, p));
    const dOff = off.pm.draw((p) => stream(r, p));
    const t1 = run(on.pm, n, dOn, worldOf(n, true)).x.adoption!.day;
    const t0 = run(on.pm, n, dOn, worldOf(n, false)).x.adoption!.day;
    const f1 = run(off.pm, n, dOff, worldOf(n, true)).x.adoption!.day;
    return { t1, t0, f1 };
  });

  it('no one adopts in the all-control world; with contagion the all-treated world adopts by a margin of 4 SE more by the last day', () => {
    for (const c of curves) expect(adoptedByDay(c.t0, H).every((s) => s === 0)).toBe(true);
    const last = curves.map((c) => adoptedByDay(c.t1, H)[H - 1]!);
    expect(mean(last) - 4 * se(last)).toBeGreaterThan(0);
  });

  it('each user adopts no later with contagion than without (same uniforms), and contagion adds adoptions', () => {
    for (const c of curves)
      for (let i = 0; i < n; i++) {
        if (c.f1[i]! < 0) continue;
        expect(c.t1[i]).toBeGreaterThanOrEqual(0);
        expect(c.t1[i]).toBeLessThanOrEqual(c.f1[i]!);
      }
    const gap = curves.map((c) => adoptedByDay(c.t1, H)[H - 1]! - adoptedByDay(c.f1, H)[H - 1]!);
    expect(mean(gap) - 4 * se(gap)).toBeGreaterThan(0);
  });

  it('without contagion adoption is geometric: 1 − (1 − h)^(d+1) of the users with the feature by day d', () => {
    // in the all-treated world every user in a thread has the feature
    const th = on.plan.graph.threads!;
    const users = Array.from({ length: n }, (_, i) => i).filter((i) => th.userOffsets[i + 1]! > th.userOffsets[i]!);
    const N = users.length * R;
    for (let d = 0; d < H; d += 5) {
      const q = 1 - (1 - adoption.hazard) ** (d + 1);
      const got = mean(curves.map((c) => adoptedByDay(c.f1, H, users)[d]!));
      expect(Math.abs(got - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / N) + 1e-12);
    }
  });
});

describe.each([
  ['group-calls', calls],
  ['group-stories', stories],
])('%s: a hazard of 1 is the model without adoption', (_, base) => {
  it('every output, in the all-treated, all-control and a mixed world', () => {
    const a = setup({ ...base, adoption: { hazard: 1, perExposure: 0.5 } });
    const b = setup(base);
    const n = a.n;
    const da = a.pm.draw((p) => stream(3, p));
    const db = b.pm.draw((p) => stream(3, p));
    const mixed = worldOf(n, false);
    for (let i = 0; i < n; i += 2) mixed.dose[i] = 1;
    for (const w of [worldOf(n, true), worldOf(n, false), mixed]) {
      const oa = run(a.pm, n, da, w);
      const ob = run(b.pm, n, db, w);
      expect(oa.num).toEqual(ob.num);
      expect(oa.den).toEqual(ob.den);
      expect(oa.x.daily).toEqual(ob.x.daily);
    }
  });
});

/** Per replication: the user-level experiment's daily difference minus the day's truth, averaged over the first and the last 7 days. */
function biasGrowth(model: Record<string, unknown>, reps: number): number[] {
  const { pm, n } = setup(model);
  return Array.from({ length: reps }, (_, r) => {
    const draw = pm.draw((p) => stream(100 + r, p));
    const u = stream(100 + r, 'assign');
    const w = worldOf(n, false);
    for (let i = 0; i < n; i++) w.dose[i] = u() < 0.5 ? 1 : 0;
    const e = run(pm, n, draw, w).x.daily;
    const t1 = run(pm, n, draw, worldOf(n, true)).x.daily;
    const t0 = run(pm, n, draw, worldOf(n, false)).x.daily;
    const bias: number[] = [];
    for (let d = 0; d < H; d++) {
      let s1 = 0,
        c1 = 0,
        s0 = 0,
        a1 = 0,
        a0 = 0;
      for (let i = 0; i < n; i++) {
        const y = e[d * n + i]!;
        if (w.dose[i] === 1) ((s1 += y), c1++);
        else s0 += y;
        a1 += t1[d * n + i]!;
        a0 += t0[d * n + i]!;
      }
      bias.push(s1 / c1 - s0 / (n - c1) - (a1 - a0) / n);
    }
    return mean(bias.slice(H - 7)) - mean(bias.slice(0, 7));
  });
}

describe('group calls: with contagion the user-level bias of the daily primary grows with the day', () => {
  // the same replications (draws and assignments) with contagion on and off
  const on = biasGrowth({ ...calls, adoption: { ...adoption, contagion: true } }, 30);
  const off = biasGrowth({ ...calls, adoption: { ...adoption, contagion: false } }, 30);
  it('the last week is more negatively biased than the first, by 4 SE', () => {
    expect(mean(on) + 4 * se(on)).toBeLessThan(0);
  });
  it("contagion's own part: the growth is larger with contagion than without, paired, by 4 SE", () => {
    // without contagion the bias grows too (the effect ramps up with adoption, and spillover takes a share of it)
    const d = on.map((x, k) => x - off[k]!);
    expect(mean(d) + 4 * se(d)).toBeLessThan(0);
  });
});

describe.each([
  ['group-calls', calls],
  ['group-stories', stories],
])('%s: the threshold rule (complex contagion)', (_, base) => {
  const off = setup({ ...base, adoption: { ...adoption, contagion: false } });
  const never = setup({ ...base, adoption: { ...adoption, rule: 'threshold', threshold: 100_000 } });
  const low = setup({ ...base, adoption: { ...adoption, rule: 'threshold', threshold: 2 } });
  const n = off.n;
  const days = (m: ReturnType<typeof setup>, r: number) =>
    run(
      m.pm,
      n,
      m.pm.draw((p) => stream(r, p)),
      worldOf(n, true),
    ).x.adoption!.day;

  it('a threshold no day reaches is contagion off, user by user', () => {
    for (let r = 0; r < 3; r++) expect(days(never, r)).toEqual(days(off, r));
  });
  it('a threshold of 2 adopts no later than contagion off, and more by the last day (4 SE)', () => {
    const gap = Array.from({ length: R }, (_, r) => {
      const a = days(low, r);
      const b = days(off, r);
      for (let i = 0; i < n; i++) if (b[i]! >= 0) (expect(a[i]!).toBeLessThanOrEqual(b[i]!), expect(a[i]!).toBeGreaterThanOrEqual(0));
      return adoptedByDay(a, H)[H - 1]! - adoptedByDay(b, H)[H - 1]!;
    });
    expect(mean(gap) - 4 * se(gap)).toBeGreaterThan(0);
  });
});

describe.each([
  ['group-calls', calls],
  ['group-stories', stories],
])('%s: lapsing', (_, base) => {
  const h = 0.05;
  const l = 0.1;
  const m = setup({ ...base, adoption: { hazard: h, perExposure: 0.3, contagion: false, lapse: l } });
  const n = m.n;
  const th = m.plan.graph.threads!;
  const users = Array.from({ length: n }, (_, i) => i).filter((i) => th.userOffsets[i + 1]! > th.userOffsets[i]!);
  const curves = Array.from({ length: R }, (_, r) => {
    const a = run(
      m.pm,
      n,
      m.pm.draw((p) => stream(r, p)),
      worldOf(n, true),
    ).x.adoption!;
    return adoptedByDay(a.day, H, users, a.lapsed);
  });
  it('without contagion the share using the feature on day d is Σ_{a ≤ d} (1 − h)^a h (1 − l)^(d − a) (4 binomial SEs)', () => {
    const N = users.length * R;
    for (let d = 0; d < H; d += 4) {
      let q = 0;
      for (let a = 0; a <= d; a++) q += (1 - h) ** a * h * (1 - l) ** (d - a);
      const got = mean(curves.map((c) => c[d]!));
      expect(Math.abs(got - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / N));
    }
  });
});
