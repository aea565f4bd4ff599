// Horvitz–Thompson and Hajek estimators of the global effect under an
// exposure mapping: each user in the all-treated (all-control) world is
// weighted by the inverse of their probability of being there. HT is
// unbiased when the mapping is right and every user can reach both worlds;
// Hajek normalises the weights, trading a small bias for much less variance.
// Standard errors: Aronow–Samii for HT, and for Hajek (and ratio metrics,
// whose HT is a ratio of totals) the same applied to linearised residuals.
import { exposureMapping, exposureProbabilities, type ExposureProbabilities, type MappingSpec } from './exposure/index.js';
import { aronowSamii } from './aronow-samii.js';
import { memo, UNDEFINED, type Estimator, type EstimatorContext, type RepData } from './estimator.js';

export interface IpwOptions {
  mapping: MappingSpec;
  /** Monte Carlo draws when probabilities have no closed form, split into batches for their standard errors */
  draws: number;
  batches: number;
}

export const IPW_DEFAULTS: IpwOptions = { mapping: { kind: 'full' }, draws: 2000, batches: 20 };

/** Probabilities for (design, mapping, draws), computed once per plan and shared by HT and Hajek. */
export function probabilitiesFor(ctx: EstimatorContext, o: IpwOptions): ExposureProbabilities {
  const mapping = exposureMapping(o.mapping);
  const key = `exposure/${ctx.design.name}/${mapping.key}/${o.draws}/${o.batches}`;
  let pr = ctx.cache?.get(key) as ExposureProbabilities | undefined;
  if (!pr) {
    pr = exposureProbabilities(ctx.graph.csr, ctx.design, mapping, { joint: true, draws: o.draws, batches: o.batches, seed: ctx.seed ?? 1 });
    ctx.cache?.set(key, pr);
  }
  return pr;
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
      const pr = probabilitiesFor(ctx, opts);
      const resid = new Float64Array(g.n);
      return (rep: RepData) => {
        const ex = memo(rep, `exposure:${mapping.key}`, () => mapping.classify(g, rep.dose, new Int8Array(g.n)));
        const { y, den } = rep;
        let t1 = 0, t0 = 0, w1 = 0, w0 = 0;
        for (let i = 0; i < g.n; i++) {
          const e = ex[i]!;
          const d = den ? den[i]! : 1;
          if (e === 1 && pr.p1[i]! > 0) (t1 += y[i]! / pr.p1[i]!), (w1 += d / pr.p1[i]!);
          else if (e === 0 && pr.p0[i]! > 0) (t0 += y[i]! / pr.p0[i]!), (w0 += d / pr.p0[i]!);
        }
        if (kind === 'ht' && !den) {
          const s = 1 / g.n;
          const v = aronowSamii(ex, y, y, pr, s, s);
          return { estimate: (t1 - t0) * s, se: Math.sqrt(Math.max(0, v)), df: Infinity };
        }
        // Hajek, or a ratio metric (ratio of HT totals): linearise around the arm means
        if (!(w1 > 0 && w0 > 0)) return UNDEFINED;
        const m1 = t1 / w1;
        const m0 = t0 / w0;
        // only exposed users' residuals are read (aronowSamii skips the rest)
        for (let i = 0; i < g.n; i++) {
          const e = ex[i]!;
          if (e < 0) continue;
          resid[i] = y[i]! - (e === 1 ? m1 : m0) * (den ? den[i]! : 1);
        }
        const v = aronowSamii(ex, resid, resid, pr, 1 / w1, 1 / w0);
        return { estimate: m1 - m0, se: Math.sqrt(Math.max(0, v)), df: Infinity };
      };
    },
  };
}

export const horvitzThompson = ipwEstimator('ht');
export const hajek = ipwEstimator('hajek');
