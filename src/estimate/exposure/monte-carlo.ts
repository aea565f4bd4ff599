// Monte Carlo exposure probabilities, for designs and mappings without a
// closed form. Draws come in B batches so each user's standard error comes
// from the spread of batch means. For random-clustering designs (RGCR) each
// draw is a fresh clustering with stratified priorities (see nets.ts), and
// marginals are Rao–Blackwellised: the exact probability given the drawn
// clustering is averaged, never a 0/1 indicator, so no user gets an
// estimate of 0. Joint probabilities of dependent pairs are counted from the
// same draws (a pair never seen together gets 0, which Aronow–Samii treats
// conservatively).
import type { CSR } from '../../graph/csr.js';
import { doseOf, partitionUnits, type Design } from '../../design/design.js';
import { integer, stream } from '../../random/streams.js';
import { closedMarginals, type Joint } from './closed-form.js';
import type { ExposureMapping } from './mappings.js';
import type { PairList } from './pairs.js';

export interface McOptions {
  readonly draws: number;
  readonly batches: number;
  readonly seed: number | string;
  readonly marginals: boolean;
  readonly pairs: PairList | null;
}

export interface McResult {
  p1: Float64Array | null;
  p0: Float64Array | null;
  /** per-user Monte Carlo standard errors of p1, p0 (from batch means) */
  se1: Float64Array | null;
  se0: Float64Array | null;
  joint: Joint | null;
  draws: number;
  batches: number;
}

export function monteCarlo(g: CSR, design: Design, mapping: ExposureMapping, o: McOptions): McResult {
  const n = g.n;
  const B = Math.max(2, o.batches);
  const L = Math.max(1, Math.round(o.draws / B));
  const rc = design.randomClustering;
  const dose = new Float64Array(n);
  const ex = new Int8Array(n);
  const z = new Uint8Array(rc ? n : design.units.count);
  const labels = new Int32Array(n);
  const acc = o.marginals ? [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)] : null; // batch sums, squares
  const batch = o.marginals ? [new Float64Array(n), new Float64Array(n)] : null;
  const m = o.pairs ? o.pairs.other.length : 0;
  const c = o.pairs ? [new Float64Array(m), new Float64Array(m), new Float64Array(m), new Float64Array(m)] : null;
  for (let b = 0; b < B; b++) {
    const rng = stream(o.seed, 'exposure-mc', design.name, mapping.key, b);
    const offset = new Uint32Array(n);
    const pick = integer(rng, 0, L);
    for (let i = 0; i < n; i++) offset[i] = pick();
    batch?.[0]!.fill(0);
    batch?.[1]!.fill(0);
    for (let s = 0; s < L; s++) {
      if (rc) {
        const count = rc.draw(rng, labels, { index: s, of: L, offset });
        if (batch) {
          if (mapping.spec.kind === 'fractional') {
            const cond = closedMarginals(g, partitionUnits(labels, count), { kind: 'bernoulli', p: rc.p }, mapping);
            for (let i = 0; i < n; i++) (batch[0]![i]! += cond.p1[i]!), (batch[1]![i]! += cond.p0[i]!);
          } else addAllOrNone(g, labels, count, rc.p, mapping.scope === 'own', batch);
        }
        if (!c) continue;
        const coin = new Uint8Array(count);
        for (let k = 0; k < count; k++) coin[k] = rng() < rc.p ? 1 : 0;
        for (let i = 0; i < n; i++) dose[i] = coin[labels[i]!]!;
      } else {
        design.drawUnits(rng, z);
        doseOf(design.units, z, dose);
      }
      mapping.classify(g, dose, ex);
      if (batch && !rc) for (let i = 0; i < n; i++) if (ex[i]! >= 0) batch[ex[i] === 1 ? 0 : 1]![i]!++;
      if (c && o.pairs) countPairs(o.pairs, ex, c);
    }
    if (acc && batch) {
      for (let i = 0; i < n; i++) {
        const m1 = batch[0]![i]! / L;
        const m0 = batch[1]![i]! / L;
        acc[0]![i]! += m1;
        acc[1]![i]! += m1 * m1;
        acc[2]![i]! += m0;
        acc[3]![i]! += m0 * m0;
      }
    }
  }
  const draws = B * L;
  let p1 = null, p0 = null, se1 = null, se0 = null;
  if (acc) {
    [p1, se1] = meanSE(acc[0]!, acc[1]!, B);
    [p0, se0] = meanSE(acc[2]!, acc[3]!, B);
  }
  const joint = c ? { p11: scale(c[0]!, draws), p00: scale(c[1]!, draws), p10: scale(c[2]!, draws), p01: scale(c[3]!, draws) } : null;
  return { p1, p0, se1, se0, joint, draws, batches: B };
}

/** Given a clustering, P(all of i's clusters treated) = p^k and P(none) = (1-p)^k. */
function addAllOrNone(g: CSR, labels: Int32Array, count: number, p: number, own: boolean, batch: Float64Array[]): void {
  const stamp = new Int32Array(count).fill(-1);
  const [b1, b0] = batch as [Float64Array, Float64Array];
  for (let i = 0; i < g.n; i++) {
    let k = 1;
    stamp[labels[i]!] = i;
    if (!own) {
      for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
        const c = labels[g.nbrs[e]!]!;
        if (stamp[c] !== i) (stamp[c] = i), k++;
      }
    }
    b1[i]! += p ** k;
    b0[i]! += (1 - p) ** k;
  }
}

function countPairs(pairs: PairList, ex: Int8Array, c: Float64Array[]): void {
  const [c11, c00, c10, c01] = c as [Float64Array, Float64Array, Float64Array, Float64Array];
  for (let i = 0; i + 1 < pairs.offsets.length; i++) {
    const ei = ex[i]!;
    if (ei < 0) continue;
    for (let k = pairs.offsets[i]!; k < pairs.offsets[i + 1]!; k++) {
      const ej = ex[pairs.other[k]!]!;
      if (ej < 0) continue;
      if (ei === 1) ej === 1 ? c11[k]!++ : c10[k]!++;
      else ej === 1 ? c01[k]!++ : c00[k]!++;
    }
  }
}

function meanSE(sum: Float64Array, sq: Float64Array, B: number): [Float64Array, Float64Array] {
  const mean = new Float64Array(sum.length);
  const se = new Float64Array(sum.length);
  for (let i = 0; i < sum.length; i++) {
    const m = sum[i]! / B;
    mean[i] = m;
    se[i] = Math.sqrt(Math.max(0, (sq[i]! / B - m * m) * (B / (B - 1))) / B);
  }
  return [mean, se];
}

function scale(a: Float64Array, d: number): Float64Array {
  for (let k = 0; k < a.length; k++) a[k]! /= d;
  return a;
}
