// Regression adjustment for pre-treatment covariates.
//
// lin: Lin's (2013) interacted regression, y ~ z + x̃ + z·x̃ with the
// covariates centred (x̃ = x − x̄), as estatr's lm_lin: the coefficient of z
// is the difference in means adjusted for the arms' covariate imbalance,
// never less precise than it asymptotically under complete randomization.
// Standard error HC2 (N − k df) under user-level designs, and CR2 with
// Bell–McCaffrey df under cluster designs (ols-robust.ts), as lm_lin with
// clusters.
// cuped: y − θ'(x − x̄) with θ the pooled least-squares slopes of y on the
// covariates (Deng et al. 2013), then the difference in means of the
// adjusted outcome with the same HC2/CR2 standard error (which, as in
// practice, ignores θ's estimation).
//
// Covariates: 'degree' (always there), 'baseline' (the model's pre-period
// outcome; linear-in-means with `baselineCorrelation`, the product models
// with `baseline: true`, which also offer `baseline:<metric>`), 'homophily'
// (the model's homophily covariate: Ugander–Yin's h; else a graph attribute
// named so; refused otherwise), or the name of a node
// attribute of the graph (numeric; NaN replaced by the attribute's mean).
// Covariates constant over the users are dropped (Lin is then the
// difference in means).
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { SocialGraph } from '../graph/csr.js';
import { label } from '../schema-common.js';
import { undefinedEstimate, type Estimator, type RepData } from './estimator.js';
import type { EstimatorKind } from './schema.js';
import { clusteredNotApplicable, clustersFor } from './clusters.js';
import { olsFit, robustCoefficient } from './ols-robust.js';
import { WILD_DEFAULTS, wildEstimator } from './wild.js';
import { clusterDmCr2 } from './cr2.js';

export type Adjustment = 'lin' | 'cuped';

/** Covariates fixed by the graph, or read per replication from the model's draw. */
function covariateSource(graph: SocialGraph, name: string): (rep: RepData) => Float64Array {
  const { n, offsets } = graph.csr;
  if (name === 'degree') {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = offsets[i + 1]! - offsets[i]!;
    return () => d;
  }
  if (name === 'baseline' || name.startsWith('baseline:'))
    return (rep) => {
      const b = rep.covariate?.(name);
      if (!b)
        throw new UserError(
          `covariate "${name}" needs a model with a baseline outcome (linear-in-means: set "baselineCorrelation"; group calls and group stories: set "baseline": true, and name one of their non-ratio metrics after "baseline:")`,
        );
      return b;
    };
  if (name === 'homophily') {
    // the model's homophily covariate (fixed over replications: filled once per array); else a graph attribute of that name
    const attribute = graph.attributes?.['homophily'];
    const fallback = attribute ? meanFilled(attribute) : null;
    let seen: Float64Array | null = null;
    let filled: Float64Array | null = null;
    return (rep) => {
      const h = rep.covariate?.('homophily');
      if (h) {
        if (h !== seen) ((seen = h), (filled = meanFilled(h)));
        return filled!;
      }
      if (fallback) return fallback;
      throw new UserError(
        'covariate "homophily" needs a model with a homophily covariate: ugander-yin offers its h (the column it names with "homophily", or the field it generates). ' +
          'Linear-in-means\' homophily correlates friends\' unobserved noise and is no covariate (its observable counterpart is "baseline", with "baselineCorrelation"); the product models have none',
        'ESCENARIO',
      );
    };
  }
  const a = graph.attributes?.[name];
  if (!a) {
    const have = Object.keys(graph.attributes ?? {});
    throw new UserError(
      `covariate "${name}" is unknown; allowed: degree, baseline, homophily${have.length ? ', ' + have.join(', ') : ''} (the graph's attributes)`,
      'ESCENARIO',
    );
  }
  const x = meanFilled(a);
  return () => x;
}

/** A copy with NaN (missing) replaced by the mean of the other values. */
function meanFilled(a: Float64Array): Float64Array {
  let s = 0,
    m = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]!)) ((s += a[i]!), m++);
  const mean = m ? s / m : 0;
  return Float64Array.from(a, (v) => (Number.isNaN(v) ? mean : v));
}

export function adjustedEstimator(kind: Adjustment, covariates: readonly string[], id: string = kind): Estimator {
  return {
    id,
    label: kind === 'lin' ? `Lin's interacted adjustment (${covariates.join(', ')})` : `CUPED adjustment (${covariates.join(', ')})`,
    notApplicable: (d) => clusteredNotApplicable(d, true),
    prepare: ({ graph, design }) => {
      const n = graph.csr.n;
      const sources = covariates.map((c) => covariateSource(graph, c));
      const clusters = clustersFor(design);
      const p = covariates.length;
      const kMax = kind === 'lin' ? 2 + 2 * p : 2;
      const X = new Float64Array(n * kMax);
      const yy = new Float64Array(n);
      const w = new Float64Array(n);
      const xc: Float64Array[] = covariates.map(() => new Float64Array(n));
      return (rep) => {
        const c = clusters(rep);
        if (c === undefined) return undefinedEstimate('no-draw');
        const { dose, den } = rep;
        // outcome and weights (ratio metrics: num/den weighted by den)
        let y = rep.y;
        if (den) {
          for (let i = 0; i < n; i++) ((w[i] = den[i]!), (yy[i] = den[i]! > 0 ? rep.y[i]! / den[i]! : 0));
          y = yy;
        }
        const wt = den ? w : null;
        // centred covariates, dropping the constant ones
        const kept: Float64Array[] = [];
        sources.forEach((src, j) => {
          const x = src(rep);
          let sw = 0,
            sx = 0;
          for (let i = 0; i < n; i++) {
            const wi = wt ? wt[i]! : 1;
            if (wi > 0) ((sw += wi), (sx += wi * x[i]!));
          }
          const mean = sx / sw;
          const out = xc[j]!;
          let ss = 0;
          for (let i = 0; i < n; i++) {
            out[i] = x[i]! - mean;
            if ((wt ? wt[i]! : 1) > 0) ss += out[i]! * out[i]!;
          }
          if (ss > 1e-12 * sw * (mean * mean + 1)) kept.push(out);
        });
        const q = kept.length;
        if (kind === 'lin') {
          const k = 2 + 2 * q;
          for (let i = 0; i < n; i++) {
            const o = i * k;
            X[o] = 1;
            X[o + 1] = dose[i]!;
            for (let j = 0; j < q; j++) ((X[o + 2 + j] = kept[j]![i]!), (X[o + 2 + q + j] = dose[i]! * kept[j]![i]!));
          }
          return robustCoefficient({ X, k, y, w: wt, n }, 1, c?.label ?? null, c?.count ?? 0);
        }
        // cuped: θ from the pooled regression of y on 1 and the covariates
        let yAdj = y;
        if (q > 0) {
          const k = 1 + q;
          const Xp = new Float64Array(n * k);
          for (let i = 0; i < n; i++) {
            Xp[i * k] = 1;
            for (let j = 0; j < q; j++) Xp[i * k + 1 + j] = kept[j]![i]!;
          }
          const fit = olsFit({ X: Xp, k, y, w: wt, n });
          if (!fit) return undefinedEstimate('collinear');
          const adj = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            let s = y[i]!;
            for (let j = 0; j < q; j++) s -= fit.beta[1 + j]! * kept[j]![i]!;
            adj[i] = s;
          }
          yAdj = adj;
        }
        for (let i = 0; i < n; i++) ((X[2 * i] = 1), (X[2 * i + 1] = dose[i]!));
        return robustCoefficient({ X, k: 2, y: yAdj, w: wt, n }, 1, c?.label ?? null, c?.count ?? 0);
      };
    },
  };
}

export const linKind: EstimatorKind = { type: 'lin', estimator: adjustedEstimator('lin', ['degree']) };
export const cupedKind: EstimatorKind = { type: 'cuped', estimator: adjustedEstimator('cuped', ['degree']) };

/**
 * The object form of these estimators, e.g.
 * { "estimator": "lin", "covariates": ["baseline", "degree"] },
 * { "estimator": "wild", "resamples": 1999, "weights": "webb" }.
 */
export const adjustedObjectSchema = z
  .strictObject({
    estimator: z.enum(['lin', 'cuped', 'cr2', 'wild']),
    /** label in the results; default "<estimator>:<covariates joined by +>" */
    name: label.min(1).optional(),
    covariates: z.array(z.string().min(1).max(100)).min(1).max(20).optional(),
    /** wild: bootstrap draws */
    resamples: z.number().int().min(99).max(99_999).optional(),
    /** wild: Rademacher, Webb's six-point, or auto (Webb below 12 clusters) */
    weights: z.enum(['auto', 'rademacher', 'webb']).optional(),
  })
  .superRefine((o, ctx) => {
    const adj = o.estimator === 'lin' || o.estimator === 'cuped';
    if (adj && o.covariates === undefined)
      ctx.addIssue({ code: 'custom', message: `${o.estimator} needs "covariates"`, path: ['covariates'] });
    if (!adj && o.covariates !== undefined)
      ctx.addIssue({ code: 'custom', message: `${o.estimator} takes no covariates`, path: ['covariates'] });
    if (o.estimator !== 'wild')
      for (const f of ['resamples', 'weights'] as const)
        if (o[f] !== undefined) ctx.addIssue({ code: 'custom', message: `only wild takes "${f}"`, path: [f] });
  });

export type AdjustedObject = z.infer<typeof adjustedObjectSchema>;

export function adjustedFromObject(o: AdjustedObject): Estimator {
  switch (o.estimator) {
    case 'lin':
    case 'cuped': {
      const id = o.name ?? `${o.estimator}:${o.covariates!.join('+')}`;
      return adjustedEstimator(o.estimator, o.covariates!, id);
    }
    case 'wild': {
      const id = o.name ?? (o.resamples || o.weights ? `wild:${o.weights ?? 'auto'}:${o.resamples ?? WILD_DEFAULTS.resamples}` : 'wild');
      return wildEstimator({ ...WILD_DEFAULTS, resamples: o.resamples ?? WILD_DEFAULTS.resamples, weights: o.weights ?? 'auto' }, id);
    }
    case 'cr2':
      return { ...clusterDmCr2, id: o.name ?? 'cr2' };
  }
}
