// The wild cluster restricted bootstrap against a direct implementation:
// for a null θ0, impose it, refit, and for each weight vector rebuild the
// users' outcomes, rerun the regression and its CR0 t statistic user by
// user; the p-value must be the module's. The interval is the set of θ0 not
// rejected, the weights come from the named stream (same replication, same
// interval), and Webb's weights are used below 12 clusters.
import { describe, expect, it } from 'vitest';
import { wildClusterBootstrap, wildEstimator, wildWeights, WILD_DEFAULTS } from '../../src/estimate/wild.js';
import { normal, stream } from '../../src/random/streams.js';
import type { Design } from '../../src/design/index.js';
import type { SocialGraph } from '../../src/graph/csr.js';
import type { RepData } from '../../src/estimate/index.js';

const G = 9;
const sizes = [3, 5, 8, 13, 4, 6, 9, 2, 11];
const zc = [1, 0, 1, 0, 1, 0, 1, 0, 0];
const label: number[] = [];
sizes.forEach((s, g) => {
  for (let k = 0; k < s; k++) label.push(g);
});
const n = label.length;
const noise = normal(stream('wild-test', 'y'));
const y = Float64Array.from(label, (g) => 0.4 * zc[g]! + 0.7 * Math.sin(g) + noise());

/** user-level: slope of y on z and its CR0 t for θ0 */
function tStat(yy: ArrayLike<number>, theta: number) {
  let s1 = 0,
    n1 = 0,
    s0 = 0,
    n0 = 0;
  for (let i = 0; i < n; i++) zc[label[i]!] ? ((s1 += yy[i]!), n1++) : ((s0 += yy[i]!), n0++);
  const m1 = s1 / n1,
    m0 = s0 / n0;
  const S = new Float64Array(G);
  for (let i = 0; i < n; i++) S[label[i]!]! += yy[i]! - (zc[label[i]!] ? m1 : m0);
  let v = 0;
  for (let g = 0; g < G; g++) v += (S[g]! / (zc[g] ? n1 : n0)) ** 2;
  return (m1 - m0 - theta) / Math.sqrt(v);
}

function directP(theta: number, v: Float64Array, B: number) {
  const t = Math.abs(tStat(y, theta));
  // restricted fit: intercept of y − θ0 z
  let a = 0;
  for (let i = 0; i < n; i++) a += y[i]! - theta * zc[label[i]!]!;
  a /= n;
  let k = 0;
  const ys = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) {
      const g = label[i]!;
      const fit = a + theta * zc[g]!;
      ys[i] = fit + v[b * G + g]! * (y[i]! - fit);
    }
    if (Math.abs(tStat(ys, theta)) >= t - 1e-12) k++;
  }
  return k / B;
}

const T = new Float64Array(G),
  W = new Float64Array(G);
for (let i = 0; i < n; i++) ((T[label[i]!]! += y[i]!), W[label[i]!]!++);

describe('wild cluster restricted bootstrap', () => {
  const B = 499;
  const v = wildWeights(stream('wild-test', 'weights'), B, G, 'webb');
  const e = wildClusterBootstrap(T, W, zc, v, B);

  it('p-value of θ0 = 0 equals the user-by-user bootstrap', () => {
    expect(e.p).toBe(directP(0, v, B));
  });

  it('the interval is where the direct test stops rejecting at 5%', () => {
    const w = (e.upper! - e.lower!) * 1e-4;
    for (const [end, out] of [
      [e.lower!, -w],
      [e.upper!, w],
    ] as const) {
      expect(directP(end + out, v, B)).toBeLessThanOrEqual(0.05);
      expect(directP(end - out, v, B)).toBeGreaterThan(0.05);
    }
    expect(e.lower!).toBeLessThan(e.estimate);
    expect(e.upper!).toBeGreaterThan(e.estimate);
  });

  it('the estimator: Webb below 12 clusters, the same interval for the same replication, another for another', () => {
    const design = {
      name: 'd',
      structure: { kind: 'fixed' },
      units: { partition: true, identity: false, count: G, list: Int32Array.from(label) },
    } as unknown as Design;
    const graph = { csr: { n } } as unknown as SocialGraph;
    const run = wildEstimator({ ...WILD_DEFAULTS, resamples: B }).prepare({ graph, design, seed: 5 });
    const dose = Float64Array.from(label, (g) => zc[g]!);
    const rep = (r: number): RepData => ({ dose, unitZ: Uint8Array.from(zc), y, den: null, memo: new Map(), rep: r });
    const a = run(rep(3));
    expect(run(rep(3))).toEqual(a);
    expect(run(rep(4)).lower).not.toBe(a.lower);
    const webb = wildWeights(stream(5, 'rep', 3, 'wild-bootstrap', 'd', 'wild'), B, G, 'webb');
    expect(a).toEqual(wildClusterBootstrap(T, W, zc, webb, B));
    expect(new Set(webb).size).toBe(6);
  });
});
