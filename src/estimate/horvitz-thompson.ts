// Horvitz–Thompson and Hajek estimators of the global effect under an
// exposure mapping: each user in the all-treated (all-control) world is
// weighted by the inverse of their probability of being there. HT is
// unbiased when the mapping is right and every user can reach both worlds;
// Hajek normalises the weights, trading a small bias for much less variance.
// Standard errors: Aronow–Samii for HT, and for Hajek (and ratio metrics,
// whose HT is a ratio of totals) the same applied to linearised residuals.
import { exposureMapping, exposureProbabilities, type ExposureProbabilities, type MappingSpec } from './exposure/index.js';
import { aronowSamii } from './aronow-samii.js';
import { unitRobustVariance } from './unit-robust.js';
import { memo, UNDEFINED, type Estimator, type EstimatorContext, type RepData } from './estimator.js';

export interface IpwOptions {
  mapping: MappingSpec;
  /** Monte Carlo draws when probabilities have no closed form, split into batches for their standard errors */
  draws: number;
  batches: number;
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
  const cached = (ctx.cache?.get(`${key}/joint`) ?? (joint ? undefined : ctx.cache?.get(`${key}/marginal`))) as ExposureProbabilities | undefined;
  if (cached) return cached;
  const pr = exposureProbabilities(ctx.graph.csr, ctx.design, mapping, { joint, draws: o.draws, batches: o.batches, seed: ctx.seed ?? 1 });
  ctx.cache?.set(`${key}/${joint ? 'joint' : 'marginal'}`, pr);
  return pr;
}

/** Memo keys under which a replication's exposure classes, and the users with class 0 or 1, are shared. */
export const classesKey = (mapping: string) => `exposure:${mapping}`;
export const usersKey = (mapping: string) => `exposure:${mapping}:users`;

/** The users with class 0 or 1, in order, as a view of `out`. */
function inWorlds(ex: Int8Array, out: Uint32Array): Uint32Array {
  let c = 0;
  for (let i = 0; i < ex.length; i++) if (ex[i]! >= 0) out[c++] = i;
  return out.subarray(0, c);
}

export function ipwEstimator(kind: 'ht' | 'hajek', o: Partial<IpwOptions> = {}): Estimator {
  const opts = { ...IPW_DEFAULTS, ...o };
  const mapping = exposureMapping(opts.mapping);
  const what = mapping.key === 'full' ? 'full-neighbourhood' : mapping.key;
  return {
    id: kind,
    label: `${kind === 'ht' ? 'Horvitz–Thompson' : 'Hajek'}, ${what} exposure`,
    notApplicable: (d) => (d.type === 'saveski' ? 'its two arms are randomized differently; use the saveski test' : null),
    prepare(ctx) {
      const g = ctx.graph.csr;
      const n = g.n;
      const resid = new Float64Array(n);
      const listed = new Uint32Array(n); // this replication's users in either world
      // When exposure depends on a user's own units only and the units are
      // fixed, users sharing no unit are independent, so the linearised
      // (Hajek, ratio) variance can be the unit-robust sandwich. Aronow–Samii
      // instead bounds every pair that can never be split across worlds (two
      // users of one cluster) by Young's inequality: on cluster designs that
      // gave 100% coverage and no power. HT proper keeps Aronow–Samii.
      const design = ctx.design;
      const robust = mapping.scope === 'own' && !design.randomClustering ? unitRobustVariance(design.units) : null;
      const psi = robust ? new Float64Array(n) : null;
      // HT proper needs the joints for Aronow–Samii; the linearised forms, with a unit-robust variance, only marginals
      const pr = probabilitiesFor(ctx, opts, kind === 'ht' || !robust);
      return (rep: RepData) => {
        const ex = memo(rep, classesKey(mapping.key), () => mapping.classify(g, rep.dose, new Int8Array(n)));
        // usually few users are in either world: list them once, shared with the other estimator
        const users = memo(rep, usersKey(mapping.key), () => inWorlds(ex, listed));
        const { y, den } = rep;
        const { p1, p0 } = pr;
        let t1 = 0, t0 = 0, w1 = 0, w0 = 0, c1 = 0, c0 = 0;
        for (let u = 0; u < users.length; u++) {
          const i = users[u]!;
          const e = ex[i]!;
          const d = den ? den[i]! : 1;
          if (e === 1 && p1[i]! > 0) (t1 += y[i]! / p1[i]!), (w1 += d / p1[i]!), c1++;
          else if (e === 0 && p0[i]! > 0) (t0 += y[i]! / p0[i]!), (w0 += d / p0[i]!), c0++;
        }
        if (kind === 'ht' && !den) {
          const s = 1 / g.n;
          const v = aronowSamii(ex, y, y, pr, s, s, users);
          return { estimate: (t1 - t0) * s, se: Math.sqrt(Math.max(0, v)), df: Infinity };
        }
        // Hajek, or a ratio metric (ratio of HT totals): linearise around the
        // arm means. As for the difference in means, at least two users in each
        // world: with one, its residual is 0 and the variance would claim that
        // world's mean is known exactly (on user-level designs, where few are
        // fully exposed, that made 6% of intervals cover)
        if (!(w1 > 0 && w0 > 0) || c1 < 2 || c0 < 2) return UNDEFINED;
        const m1 = t1 / w1;
        const m0 = t0 / w0;
        if (robust) {
          // each user's linearised contribution to m1 - m0
          psi!.fill(0);
          for (let u = 0; u < users.length; u++) {
            const i = users[u]!;
            const d = den ? den[i]! : 1;
            const e = ex[i]!;
            // users with no chance of their world (positivity fails) were left out above
            if (e === 1 && p1[i]! > 0) psi![i] = (y[i]! - m1 * d) / (p1[i]! * w1);
            else if (e === 0 && p0[i]! > 0) psi![i] = -(y[i]! - m0 * d) / (p0[i]! * w0);
          }
          const v = robust(psi!);
          return { estimate: m1 - m0, se: Math.sqrt(Math.max(0, v)), df: design.units.count - 2 };
        }
        // only these users' residuals are read
        for (let u = 0; u < users.length; u++) {
          const i = users[u]!;
          resid[i] = y[i]! - (ex[i] === 1 ? m1 : m0) * (den ? den[i]! : 1);
        }
        const v = aronowSamii(ex, resid, resid, pr, 1 / w1, 1 / w0, users);
        return { estimate: m1 - m0, se: Math.sqrt(Math.max(0, v)), df: Infinity };
      };
    },
  };
}

export const horvitzThompson = ipwEstimator('ht');
export const hajek = ipwEstimator('hajek');
