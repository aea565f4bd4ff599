// Blocked difference in means (estimatr's difference_in_means with blocks,
// and with blocks of clusters): the difference of arm means within each
// block, weighted by the block's share of users, with the variance summed
// over blocks,
//   V = Σ_b w_b² (s1b²/n1b + s0b²/n0b),   w_b = users in b / users,
// and t intervals on Σ_b (n1b + n0b − 2) = units − 2·blocks degrees of
// freedom. Undefined when a block has fewer than two units in an arm (its
// own variance cannot be estimated).
//
// When the units are clusters, a block's arm mean is the user-weighted one,
// Σ Y_k / Σ U_k over the arm's clusters (Y_k the cluster's outcome total, U_k
// its users), and its variance the cluster-total form of cluster-dm,
//   c/(c−1) Σ_k (Y_k − m U_k)² / (Σ_k U_k)²   over the arm's c clusters,
// which for clusters of one user is exactly s²/n.
// Ratio metrics (num/den): each arm's ratio is the blocked estimate of the
// numerator total over that of the denominator total, R_a = Σ_b U_b N_ab/U_ab
// / Σ_b U_b D_ab/U_ab, and the variance that of its linearisation: each
// unit's residual Y_k − R_a D_k enters the blocked variance in place of Y_k,
// divided by the arm's estimated denominator total.
import { unitSizes, type Design } from '../design/index.js';
import { undefinedEstimate, withVariance, type Estimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';

export const blockedDifferenceInMeans: Estimator = {
  id: 'blocked-dm',
  label: 'blocked difference in means (per-block Neyman SE)',
  notApplicable(d: Design): string | null {
    const st = d.structure;
    if (st.kind !== 'fixed') return 'its units are not randomized within fixed blocks';
    switch (st.scheme.kind) {
      case 'blocked':
        return null;
      case 'bernoulli':
      case 'complete':
      case 'paired':
        return 'the design is not blocked';
    }
  },
  prepare: ({ design }) => {
    const st = design.structure;
    if (st.kind !== 'fixed' || st.scheme.kind !== 'blocked' || !design.units.partition)
      throw new Error(`blocked-dm: design "${design.name}" is not blocked`);
    const { block, size } = st.scheme;
    const B = size.length;
    const C = design.units.count;
    const label = design.units.list;
    const users = unitSizes(design.units);
    let total = 0;
    const blockUsers = new Float64Array(B);
    for (let k = 0; k < C; k++) ((blockUsers[block[k]!]! += users[k]!), (total += users[k]!));
    const buf = { Y: new Float64Array(C), D: new Float64Array(C), sums: new Float64Array(10 * B) };
    return (rep) => blockedContrast(rep.unitZ, rep.y, rep.den, { block, B, label, users, blockUsers, total }, buf);
  },
};

interface Layout {
  readonly block: Int32Array;
  readonly B: number;
  /** user -> unit */
  readonly label: Uint32Array;
  /** users per unit and per block, and in all */
  readonly users: Float64Array;
  readonly blockUsers: Float64Array;
  readonly total: number;
}

/**
 * The blocked contrast from unit treatments and per-user outcomes (and
 * denominators for a ratio metric). Exported for tests.
 */
export function blockedContrast(
  unitZ: Uint8Array,
  y: Float64Array,
  den: Float64Array | null,
  L: Layout,
  buf = { Y: new Float64Array(L.users.length), D: new Float64Array(L.users.length), sums: new Float64Array(10 * L.B) },
): Estimate {
  const { block, B, label, users, blockUsers } = L;
  const C = users.length;
  const Y = buf.Y.fill(0);
  for (let i = 0; i < y.length; i++) Y[label[i]!]! += y[i]!;
  let D = users; // a mean metric: each user's denominator is 1
  if (den) {
    D = buf.D.fill(0);
    for (let i = 0; i < y.length; i++) D[label[i]!]! += den[i]!;
  }
  // per block and arm (index 2b + a): outcome, denominator and user totals, unit count, squared residuals
  const s = buf.sums.fill(0);
  const sY = s.subarray(0, 2 * B),
    sD = s.subarray(2 * B, 4 * B),
    sU = s.subarray(4 * B, 6 * B),
    n = s.subarray(6 * B, 8 * B),
    ss = s.subarray(8 * B, 10 * B);
  for (let k = 0; k < C; k++) {
    const j = 2 * block[k]! + unitZ[k]!;
    ((sY[j]! += Y[k]!), (sD[j]! += D[k]!), (sU[j]! += users[k]!), n[j]!++);
  }
  for (let j = 0; j < 2 * B; j++) if (n[j]! < 2) return undefinedEstimate('block-arm-units');
  // blocked estimates of the numerator and denominator totals in each arm
  const num = [0, 0],
    tot = [0, 0];
  for (let b = 0; b < B; b++) {
    for (let a = 0; a < 2; a++) {
      const j = 2 * b + a;
      num[a]! += (blockUsers[b]! * sY[j]!) / sU[j]!;
      tot[a]! += (blockUsers[b]! * sD[j]!) / sU[j]!;
    }
  }
  if (!(tot[0]! > 0 && tot[1]! > 0)) return undefinedEstimate('arm-weight');
  const R = [num[0]! / tot[0]!, num[1]! / tot[1]!];
  // residuals about each block-arm's own means (linearised for a ratio: D centred too, times R)
  for (let k = 0; k < C; k++) {
    const a = unitZ[k]!;
    const j = 2 * block[k]! + a;
    let e = Y[k]! - (sY[j]! / sU[j]!) * users[k]!;
    if (den) e -= R[a]! * (D[k]! - (sD[j]! / sU[j]!) * users[k]!);
    ss[j]! += e * e;
  }
  let v = 0,
    df = 0;
  for (let j = 0; j < 2 * B; j++) {
    const w = blockUsers[j >> 1]! / tot[j & 1]!;
    v += ((w * w * n[j]!) / (n[j]! - 1)) * (ss[j]! / (sU[j]! * sU[j]!));
    df += n[j]! - 1;
  }
  return withVariance(R[1]! - R[0]!, v, df);
}

export const blockedDmKind: EstimatorKind = { type: 'blocked-dm', estimator: blockedDifferenceInMeans };
