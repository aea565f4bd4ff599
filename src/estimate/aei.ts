// A test of no spillover (Athey, Eckles & Imbens 2018, "Exact p-values for
// network interference"). The null: each user's outcome depends on their own
// treatment only. Focal users are drawn at random, independently of the
// assignment: a random order, each user with friends taken when none of
// their friends was taken (so every focal user's friends are non-focal).
// Under the null, focal outcomes are fixed once the focal users' own
// treatments are, so re-drawing the others' treatments by the design
// (Bernoulli: fresh coins; complete: a permutation of their labels) gives
// the statistic's exact null distribution. Statistic: the covariance, over
// focal users, of their outcome (centred within their own arm) and their
// share of treated friends, in absolute value. p = (1 + #{T_k >= T})/(K + 1).
// The row's estimate and SE are the difference in means' (Neyman), so bias
// and coverage read as dm's; its power column is the share of replications
// rejecting *no spillover* at the 5% level (Row.nullP).
// User-level Bernoulli or complete randomization only.
import type { CSR } from '../graph/csr.js';
import type { Design } from '../design/design.js';
import { randomOrder, stream } from '../random/streams.js';
import * as names from '../random/names.js';
import { undefinedEstimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';

export const AEI_DRAWS = 999;

function notApplicable(d: Design): string | null {
  const st = d.structure;
  if (st.kind !== 'fixed' || !d.units.identity || (st.scheme.kind !== 'bernoulli' && st.scheme.kind !== 'complete'))
    return 'the no-spillover test re-draws users by Bernoulli or complete randomization: user-level designs only';
  return null;
}

/** Focal users: in the order given, each user with friends none of whom is focal yet. */
export function focalUsers(g: CSR, order: ArrayLike<number>): Uint32Array {
  const taken = new Uint8Array(g.n);
  const out: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const a = g.offsets[i]!,
      b = g.offsets[i + 1]!;
    if (a === b) continue;
    let free = true;
    for (let e = a; e < b && free; e++) if (taken[g.nbrs[e]!]) free = false;
    if (free) ((taken[i] = 1), out.push(i));
  }
  return Uint32Array.from(out).sort();
}

/** |Σ_f (y_f − ȳ of f's arm among focal users)(s_f − s̄)|, s_f the share of f's friends treated under z. */
export function spilloverStatistic(g: CSR, focal: Uint32Array, yc: Float64Array, z: ArrayLike<number>): number {
  const F = focal.length;
  let cross = 0;
  for (let k = 0; k < F; k++) {
    const f = focal[k]!;
    const a = g.offsets[f]!,
      b = g.offsets[f + 1]!;
    let t = 0;
    for (let e = a; e < b; e++) t += z[g.nbrs[e]!]!;
    cross += (yc[k]! * t) / (b - a);
  }
  // Σ yc = 0 within each arm, so Σ yc (s − s̄) = Σ yc s
  return Math.abs(cross);
}

/** Focal outcomes centred within their own arm. */
export function centredFocal(focal: Uint32Array, y: ArrayLike<number>, z: ArrayLike<number>): Float64Array {
  let n1 = 0,
    s1 = 0,
    s0 = 0;
  for (const f of focal) if (z[f]) ((n1 += 1), (s1 += y[f]!));
  for (const f of focal) if (!z[f]) s0 += y[f]!;
  const m1 = n1 ? s1 / n1 : 0,
    m0 = focal.length - n1 ? s0 / (focal.length - n1) : 0;
  return Float64Array.from(focal, (f) => y[f]! - (z[f] ? m1 : m0));
}

/** Fisher–Yates in place (a uniformly random permutation of `a`). */
function shuffle(rng: () => number, a: Uint8Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

export function aeiEstimator(K = AEI_DRAWS, id = 'aei'): Estimator {
  return {
    id,
    label: `difference in means; power = test of no spillover (Athey, Eckles & Imbens 2018; ${K} re-draws)`,
    notApplicable,
    prepare: ({ graph, design, seed }) => {
      const g = graph.csr;
      const n = g.n;
      const st = design.structure as Extract<Design['structure'], { kind: 'fixed' }>;
      const zk = new Uint8Array(n);
      return (rep) => {
        if (rep.den) return undefinedEstimate('ratio-metric');
        const { dose: z, y } = rep;
        // the difference in means with Neyman's SE, as dm's on a user design
        let n1 = 0,
          s1 = 0,
          s0 = 0;
        for (let i = 0; i < n; i++) if (z[i]) ((n1 += 1), (s1 += y[i]!));
        for (let i = 0; i < n; i++) if (!z[i]) s0 += y[i]!;
        const n0 = n - n1;
        if (n1 < 2 || n0 < 2) return undefinedEstimate('arm-users');
        const m1 = s1 / n1,
          m0 = s0 / n0;
        let q1 = 0,
          q0 = 0;
        for (let i = 0; i < n; i++) if (z[i]) q1 += (y[i]! - m1) ** 2;
        for (let i = 0; i < n; i++) if (!z[i]) q0 += (y[i]! - m0) ** 2;
        const se = Math.sqrt(q1 / (n1 - 1) / n1 + q0 / (n0 - 1) / n0);
        const r = rep.rep ?? 'single';
        const focal = focalUsers(g, randomOrder(stream(seed ?? 0, ...names.aeiTest(r, design.name, id, 'focal')), n));
        if (focal.length < 2) return { estimate: m1 - m0, se, df: Infinity };
        const isFocal = new Uint8Array(n);
        for (const f of focal) isFocal[f] = 1;
        const yc = centredFocal(focal, y, z);
        const T = spilloverStatistic(g, focal, yc, z) * (1 - 1e-12);
        const others = new Uint32Array(n - focal.length);
        for (let i = 0, j = 0; i < n; i++) if (!isFocal[i]) others[j++] = i;
        const rng = stream(seed ?? 0, ...names.aeiTest(r, design.name, id, 'draws'));
        const p = st.scheme.kind === 'bernoulli' ? st.scheme.p : 0;
        // complete randomization: the non-focal users' labels, shuffled in place each draw
        const labels = Uint8Array.from(others, (i) => (z[i] ? 1 : 0));
        let c = 1;
        for (let k = 0; k < K; k++) {
          zk.set(z as ArrayLike<number>);
          if (st.scheme.kind === 'bernoulli') for (const i of others) zk[i] = rng() < p ? 1 : 0;
          else {
            shuffle(rng, labels);
            for (let j = 0; j < others.length; j++) zk[others[j]!] = labels[j]!;
          }
          if (spilloverStatistic(g, focal, yc, zk) >= T) c++;
        }
        return { estimate: m1 - m0, se, df: Infinity, nullP: c / (K + 1) };
      };
    },
  };
}

export const aeiKind: EstimatorKind = { type: 'aei', estimator: aeiEstimator() };
