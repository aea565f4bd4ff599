// Horvitz–Thompson and Hajek estimators of the global effect under an
// exposure mapping: each user in the all-treated (all-control) world is
// weighted by the inverse of their probability of being there. HT is
// unbiased when the mapping is right and every user can reach both worlds;
// Hajek normalises the weights, trading a small bias for much less variance.
// Standard errors: Aronow–Samii for HT. For Hajek (and ratio metrics, whose
// HT is a ratio of totals) on designs with fixed units, the unit-robust
// sandwich over the linearised contributions, with two users as dependent
// when the units deciding their exposures intersect; on random clusterings
// (RGCR, mixtures), Aronow–Samii applied to the linearised residuals.
import type { CSR } from '../graph/csr.js';
import type { Design, Units } from '../design/index.js';
import {
  exposureMapping,
  exposureProbabilities,
  type ExposureMapping,
  type ExposureProbabilities,
  type MappingSpec,
} from './exposure/index.js';
import { unitSets } from './exposure/sets.js';
import { exposedUsers, exposureClasses } from './exposure/cache.js';
import { aronowSamii } from './aronow-samii.js';
import { dependentSums, type DependentSums } from './unit-robust.js';
import { EXPOSURE_FLOOR, undefinedEstimate, withVariance, type Estimator, type EstimatorContext, type RepData } from './estimator.js';
import type { EstimatorKind } from './schema.js';

export { EXPOSURE_FLOOR };

export interface IpwOptions {
  mapping: MappingSpec;
  /** Monte Carlo draws when probabilities have no closed form, split into batches for their standard errors */
  draws: number;
  batches: number;
  /** false: no standard error (no dependent pairs, no joint probabilities); the estimate alone, with reason 'variance-off' */
  variance?: boolean;
}

export const IPW_DEFAULTS: IpwOptions = { mapping: { kind: 'full' }, draws: 2000, batches: 20 };

/**
 * Probabilities for (design, mapping, draws), computed once per plan and
 * shared by HT and Hajek; `joint: false` when only the marginals are needed
 * (they are the same either way: a set with joints serves it too), which
 * skips listing dependent pairs, often the largest part of set-up.
 */
export function probabilitiesFor(ctx: EstimatorContext, o: IpwOptions, joint = true): ExposureProbabilities {
  const mapping = exposureMapping(o.mapping);
  const key = `exposure/${ctx.design.name}/${mapping.key}/${o.draws}/${o.batches}`;
  const cached = (ctx.cache?.get(`${key}/joint`) ?? (joint ? undefined : ctx.cache?.get(`${key}/marginal`))) as
    ExposureProbabilities | undefined;
  if (cached) return cached;
  const pr = exposureProbabilities(ctx.graph.csr, ctx.design, mapping, { joint, draws: o.draws, batches: o.batches, seed: ctx.seed ?? 1 });
  ctx.cache?.set(`${key}/${joint ? 'joint' : 'marginal'}`, pr);
  return pr;
}

/** The users with class 0 or 1, in order, as a view of `out`. */
function inWorlds(ex: Int8Array, out: Uint32Array): Uint32Array {
  let c = 0;
  for (let i = 0; i < ex.length; i++) if (ex[i]! >= 0) out[c++] = i;
  return out.subarray(0, c);
}

/**
 * The units whose assignment decides each user's exposure under a mapping:
 * the user's own units ('own' scope), or every unit touching the user's
 * closed neighbourhood. Two users whose sets share no unit have independent
 * exposures under independent unit assignment.
 */
export function exposureUnits(g: CSR, design: Design, scope: ExposureMapping['scope']): Units {
  if (scope === 'own') return design.units;
  const s = unitSets(g, design.units, 'neighbourhood');
  return { count: design.units.count, offsets: s.offsets, list: s.list, partition: false };
}

interface Robust {
  units: Units;
  sums: DependentSums;
  /** per unit, the last call that counted it (for the degrees of freedom) */
  seen: Int32Array;
  calls: number;
  /** per user scratch, read only for listed users: y/p, d/p, the contribution psi; and their dependent sums */
  yp: Float64Array;
  dp: Float64Array;
  psi: Float64Array;
  dYp: Float64Array;
  dDp: Float64Array;
  dPsi: Float64Array;
}

/** Exposure units with their dependent sums and scratch, built once per plan and shared by HT and Hajek (calls never interleave). */
function robustFor(ctx: EstimatorContext, scope: ExposureMapping['scope']): Robust {
  const key = `unit-robust/${ctx.design.name}/${scope}`;
  const cached = ctx.cache?.get(key) as Robust | undefined;
  if (cached) return cached;
  const units = exposureUnits(ctx.graph.csr, ctx.design, scope);
  const n = ctx.graph.csr.n;
  const f = () => new Float64Array(n);
  const r: Robust = {
    units,
    sums: dependentSums(units),
    seen: new Int32Array(units.count).fill(-1),
    calls: 0,
    yp: f(),
    dp: f(),
    psi: f(),
    dYp: f(),
    dDp: f(),
    dPsi: f(),
  };
  ctx.cache?.set(key, r);
  return r;
}

export function ipwEstimator(kind: 'ht' | 'hajek', o: Partial<IpwOptions> = {}): Estimator {
  const opts = { ...IPW_DEFAULTS, ...o };
  const mapping = exposureMapping(opts.mapping);
  const what = mapping.key === 'full' ? 'full-neighbourhood' : mapping.key;
  return {
    id: kind,
    label: `${kind === 'ht' ? 'Horvitz–Thompson' : 'Hajek'}, ${what} exposure`,
    notApplicable(d): string | null {
      switch (d.structure.kind) {
        case 'two-arms':
          return 'its two arms are randomized differently; use the saveski test';
        // a rollout's observed (last) stage: fixed units, independent coins (exposure/index.ts)
        case 'rollout':
        case 'fixed':
        case 'random-clustering':
          return null;
        case 'ego':
          return 'the inquiry is the effect on the egos, and these weight every user; dm and cluster-dm compare treated with control egos';
        case 'saturation':
          return 'exposure probabilities under the two stages are not implemented (Monte Carlo only, without dependent pairs, so no variance); the saturation estimator compares fully treated with pure-control clusters';
      }
    },
    prepare(ctx) {
      const g = ctx.graph.csr;
      const n = g.n;
      const resid = new Float64Array(n);
      const listed = new Uint32Array(n); // this replication's users in either world
      // With fixed units, a user's exposure is decided by the units touching
      // them (their own, or their closed neighbourhood's), users whose sets
      // share no unit are independent, and under own-unit and
      // full-neighbourhood exposure the two worlds never share a unit (all
      // treated against all control). The linearised (Hajek, ratio) variance
      // is then the sandwich over intersecting sets, one per world, where
      // that is valid (see `fixed`).
      // Aronow–Samii instead bounds every pair that can never be split across
      // worlds (two users of one cluster) by Young's inequality: on cluster
      // designs that gave 100% coverage and no power. HT proper keeps
      // Aronow–Samii, as do random clusterings (RGCR, mixtures), whose units
      // change per draw, and fractional exposure.
      const design = ctx.design;
      // The sandwich below is conservative only when the sets deciding
      // exposure form a partition (own-unit exposure on clusters), and the
      // clusters are not matched in pairs: with overlapping sets (full
      // neighbourhoods on clusters, own-unit on overlapping threads) the
      // pair matrix is not positive semi-definite and an independent audit
      // found 88% coverage; with paired clusters, 89%. Those keep Aronow–Samii,
      // as do blocked clusters (a block of two at p = 0.5 is a pair).
      const st = design.structure;
      const fixed =
        st.kind === 'fixed' &&
        st.scheme.kind !== 'paired' &&
        st.scheme.kind !== 'blocked' &&
        design.units.partition &&
        design.units.count >= 3 &&
        mapping.scope === 'own';
      let robust: Robust | undefined; // built on first use: HT on mean metrics never needs it
      // HT proper needs the joints for Aronow–Samii; the linearised forms, with a unit-robust variance, only marginals;
      // without a variance, nothing but the marginals
      const variance = opts.variance !== false;
      const pr = probabilitiesFor(ctx, opts, variance && (kind === 'ht' || !fixed));
      const { p1, p0 } = pr;
      // a world no user can reach (every probability below the floor) leaves nothing to estimate, in any replication
      let max1 = 0,
        max0 = 0;
      for (let i = 0; i < n; i++) ((max1 = Math.max(max1, p1[i]!)), (max0 = Math.max(max0, p0[i]!)));
      if (!(max1 >= EXPOSURE_FLOOR)) return () => undefinedEstimate('treated-unreachable');
      if (!(max0 >= EXPOSURE_FLOOR)) return () => undefinedEstimate('control-unreachable');
      return (rep: RepData) => {
        const ex = exposureClasses(rep, mapping.key, () => mapping.classify(g, rep.dose, new Int8Array(n)));
        // usually few users are in either world: list them once, shared with the other estimator
        const users = exposedUsers(rep, mapping.key, () => inWorlds(ex, listed));
        const { y, den } = rep;
        let t1 = 0,
          t0 = 0,
          w1 = 0,
          w0 = 0,
          c1 = 0,
          c0 = 0;
        for (let u = 0; u < users.length; u++) {
          const i = users[u]!;
          const e = ex[i]!;
          const d = den ? den[i]! : 1;
          if (e === 1 && p1[i]! > 0) ((t1 += y[i]! / p1[i]!), (w1 += d / p1[i]!), c1++);
          else if (e === 0 && p0[i]! > 0) ((t0 += y[i]! / p0[i]!), (w0 += d / p0[i]!), c0++);
        }
        if (kind === 'ht' && !den) {
          const s = 1 / g.n;
          const estimate = (t1 - t0) * s;
          if (!variance) return { estimate, se: NaN, df: Infinity, reason: 'variance-off' };
          // no joint probabilities (designs whose probabilities come without dependent pairs): an estimate without a standard error
          if (!pr.pairs) return { estimate, se: NaN, df: Infinity };
          return withVariance(estimate, aronowSamii(ex, y, y, pr, s, s, users), Infinity);
        }
        // Hajek, or a ratio metric (ratio of HT totals): linearise around the
        // arm means. As for the difference in means, at least two users in each
        // world: with one, its residual is 0 and the variance would claim that
        // world's mean is known exactly (on user-level designs, where few are
        // fully exposed, that made 6% of intervals cover)
        if (c1 < 2) return undefinedEstimate('treated-users');
        if (c0 < 2) return undefinedEstimate('control-users');
        if (!(w1 > 0)) return undefinedEstimate('treated-weight');
        if (!(w0 > 0)) return undefinedEstimate('control-weight');
        const m1 = t1 / w1;
        const m0 = t0 / w0;
        if (!variance) return { estimate: m1 - m0, se: NaN, df: Infinity, reason: 'variance-off' };
        if (fixed) {
          // The sandwich sum over dependent pairs (users whose exposure units
          // intersect, each user with itself) of psi_i psi_j, where psi_i is
          // i's linearised contribution. Centred at the world's plain mean,
          // a world's contributions sum to 0 and the sandwich shrinks by the
          // weight of the pairs it keeps: to nothing when one unit decides the
          // whole world (one cluster under own-unit exposure), to a quarter of
          // the variance under full-neighbourhood exposure on the default
          // scenario's Louvain clusters, where a heavily weighted user depends
          // on half the world. So each user is centred at the mean of the
          // users of its world that are independent of it (leave the
          // dependent out, as the cluster jackknife leaves a cluster out):
          // the centring no longer shares i's noise, and the sum estimates
          // the sandwich with known means, which is conservative. On c equal
          // clusters it is c/(c-1) times cluster-dm's variance, per world.
          // Undefined when some user of a world depends on all the others
          // (in particular with fewer than two units in the world).
          const r = (robust ??= robustFor(ctx, mapping.scope));
          const { offsets: so, list: sl } = r.units;
          const { seen, yp, dp, psi, dYp, dDp, dPsi } = r;
          const call = (r.calls = (r.calls + 1) | 0);
          let units1 = 0,
            units0 = 0; // units deciding some user of each world
          for (let u = 0; u < users.length; u++) {
            const i = users[u]!;
            const one = ex[i] === 1;
            const p = one ? p1[i]! : p0[i]!;
            // no chance of its world (positivity fails): left out, as above
            if (!(p > 0)) {
              ((yp[i] = 0), (dp[i] = 0), (psi[i] = 0));
              continue;
            }
            ((yp[i] = y[i]! / p), (dp[i] = (den ? den[i]! : 1) / p));
            for (let q = so[i]!; q < so[i + 1]!; q++) if (seen[sl[q]!] !== call) ((seen[sl[q]!] = call), one ? units1++ : units0++);
          }
          // no unit decides users of both worlds, so these sums stay within a world
          const sums = r.sums(users);
          sums([yp, dp], [dYp, dDp]);
          for (let u = 0; u < users.length; u++) {
            const i = users[u]!;
            const one = ex[i] === 1;
            const p = one ? p1[i]! : p0[i]!;
            if (!(p > 0)) continue;
            const W = one ? w1 : w0;
            const d = den ? den[i]! : 1;
            // a ratio metric's user with denominator 0 needs no centre
            let centre = 0;
            if (d !== 0) {
              const rest = W - dDp[i]!; // weight of the users of i's world independent of i
              if (!(rest > 1e-9 * W)) return undefinedEstimate(one ? 'treated-units' : 'control-units');
              centre = ((one ? t1 : t0) - dYp[i]!) / rest;
            }
            psi[i] = ((one ? 1 : -1) * (y[i]! - centre * d)) / (p * W);
          }
          sums([psi], [dPsi]);
          let v1 = 0,
            v0 = 0;
          for (let u = 0; u < users.length; u++) {
            const i = users[u]!;
            if (ex[i] === 1) v1 += psi[i]! * dPsi[i]!;
            else v0 += psi[i]! * dPsi[i]!;
          }
          // A world's variance from k units has about k - 1 degrees of
          // freedom; their sum, Satterthwaite's approximation, rounded down.
          // With 12 clusters at p = 0.15 the treated world often has two
          // clusters: its variance, usually the larger, is then known to
          // about one degree of freedom, not to the 10 of "units - 2", and
          // t(10) intervals covered 92%.
          if (v1 < 0 || v0 < 0) return undefinedEstimate('negative-variance');
          const spread = v1 ** 2 / (units1 - 1) + v0 ** 2 / (units0 - 1);
          const df = spread > 0 ? Math.max(1, Math.floor((v1 + v0) ** 2 / spread)) : units1 + units0 - 2;
          return withVariance(m1 - m0, v1 + v0, df);
        }
        if (!pr.pairs) return { estimate: m1 - m0, se: NaN, df: Infinity };
        // only these users' residuals are read
        for (let u = 0; u < users.length; u++) {
          const i = users[u]!;
          resid[i] = y[i]! - (ex[i] === 1 ? m1 : m0) * (den ? den[i]! : 1);
        }
        return withVariance(m1 - m0, aronowSamii(ex, resid, resid, pr, 1 / w1, 1 / w0, users), Infinity);
      };
    },
  };
}

export const horvitzThompson = ipwEstimator('ht');
export const hajek = ipwEstimator('hajek');

export const htKind: EstimatorKind = { type: 'ht', estimator: horvitzThompson, byDefault: true, withOptions: (o) => ipwEstimator('ht', o) };
export const hajekKind: EstimatorKind = { type: 'hajek', estimator: hajek, byDefault: true, withOptions: (o) => ipwEstimator('hajek', o) };
