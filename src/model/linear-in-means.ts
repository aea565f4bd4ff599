// Linear-in-means interference: Y_i = alpha + beta*z_i + gamma*(mean dose of
// i's friends) + sigma*eps_i. Isolated users have no peer term. The global
// effect is beta + gamma*(share of non-isolated users), computed by the
// inquiry from both simulated worlds rather than assumed.
// Homophily h mixes each user's noise with their friends':
// eps_i = sqrt(1-h)*eta_i + sqrt(h)*sum_j eta_j/sqrt(d_i), still unit variance,
// so friends (and hence clusters) have correlated baselines: the source of
// the variance that cluster randomization pays.
// Baseline (pre-period) outcome, when `baselineCorrelation` rho is set:
// y_pre_i = alpha + sigma*(rho*eps_i + sqrt(1-rho^2)*xi_i), the user's same
// latent level eps_i (with homophily, the mixed one) plus noise xi_i of its
// own stream (purpose.baseline), so every outcome is the same with or
// without it. Its correlation with the outcome's noise is rho; the
// adjustment estimators (estimate/lin.ts) read it as covariate 'baseline'.
import { normals } from '../random/streams.js';
import { purpose } from '../random/names.js';
import { z } from 'zod';
import { meanMetric, type ModelContext, type OutcomeModel } from './model.js';
import type { ModelKind } from './schema.js';
import { boundedParameter } from './bounds.js';
import { neighbourSummer } from '../graph/neighbour-sums.js';

export interface LinearInMeansParams {
  alpha: number;
  beta: number;
  gamma: number;
  sigma: number;
  homophily?: number;
  /** correlation of the baseline outcome's noise with the outcome's; absent = no baseline */
  baselineCorrelation?: number;
}

export function linearInMeans(ctx: ModelContext, p: LinearInMeansParams): OutcomeModel<Float64Array> {
  const { n, offsets, nbrs } = ctx.graph.csr;
  const { alpha, beta, gamma, sigma } = p;
  const neighbourSums = neighbourSummer(ctx.graph.csr);
  const sumBuffer = new Float64Array(n);
  let raw: Float64Array | undefined;
  // each draw's baseline, keyed by the draw's noise array (reused draws overwrite both)
  const baselines = new WeakMap<Float64Array, Float64Array>();
  const rho = p.baselineCorrelation;
  const withBaseline = (out: Float64Array, rng: Parameters<OutcomeModel<Float64Array>['draw']>[0]) => {
    if (rho === undefined) return out;
    const pre = normals(rng(purpose.baseline), baselines.get(out) ?? new Float64Array(n));
    const c = Math.sqrt(1 - rho * rho);
    for (let i = 0; i < n; i++) pre[i] = alpha + sigma * (rho * out[i]! + c * pre[i]!);
    baselines.set(out, pre);
    return out;
  };
  return {
    type: 'linear-in-means',
    metrics: [meanMetric('y')],
    drawFreeEffect: true, // the noise is additive: it cancels between worlds
    writesPeerSum: true,
    covariate: (name, eps) => (name === 'baseline' ? (baselines.get(eps) ?? null) : null),
    draw(rng, reuse) {
      const h = p.homophily ?? 0;
      const out = reuse?.length === n ? reuse : new Float64Array(n);
      if (sigma === 0) return withBaseline(out.fill(0), rng);
      // with homophily the raw noise is a scratch array, mixed into `out`
      const eps = normals(rng(purpose.noise), h === 0 ? out : (raw ??= new Float64Array(n)));
      if (h === 0) return withBaseline(out, rng);
      const mixed = out;
      const a = Math.sqrt(1 - h);
      const b = Math.sqrt(h);
      for (let i = 0; i < n; i++) {
        const lo = offsets[i]!;
        const hi = offsets[i + 1]!;
        let s = 0;
        for (let k = lo; k < hi; k++) s += eps[nbrs[k]!]!;
        mixed[i] = hi > lo ? a * eps[i]! + (b * s) / Math.sqrt(hi - lo) : eps[i]!;
      }
      return withBaseline(mixed, rng);
    },
    outcomes(eps, { dose, treated, peerSum, peerSumKnown }, num) {
      const y = num[0]!;
      const sums = peerSumKnown && peerSum ? peerSum : neighbourSums(dose, peerSum ?? sumBuffer);
      // the same loop on 0/1 bytes or on doses: one array type per loop keeps V8's element access monomorphic
      if (treated) {
        // two users per step: V8 reloads y's fields after every store, so fewer, wider steps run faster
        let i = 0;
        for (; i + 2 <= n; i += 2) {
          const a = offsets[i]!;
          const b = offsets[i + 1]!;
          const c = offsets[i + 2]!;
          const pa = b > a ? sums[i]! / (b - a) : 0;
          const pb = c > b ? sums[i + 1]! / (c - b) : 0;
          const ya = alpha + beta * treated[i]! + gamma * pa + sigma * eps[i]!;
          const yb = alpha + beta * treated[i + 1]! + gamma * pb + sigma * eps[i + 1]!;
          ((y[i] = ya), (y[i + 1] = yb));
        }
        for (; i < n; i++) {
          const a = offsets[i]!;
          const b = offsets[i + 1]!;
          const peer = b > a ? sums[i]! / (b - a) : 0;
          y[i] = alpha + beta * treated[i]! + gamma * peer + sigma * eps[i]!;
        }
        return;
      }
      for (let i = 0; i < n; i++) {
        const a = offsets[i]!;
        const b = offsets[i + 1]!;
        const peer = b > a ? sums[i]! / (b - a) : 0;
        y[i] = alpha + beta * dose[i]! + gamma * peer + sigma * eps[i]!;
      }
    },
  };
}

const linearInMeansSchema = z.strictObject({
  type: z.literal('linear-in-means'),
  alpha: boundedParameter().default(0),
  beta: boundedParameter(),
  gamma: boundedParameter(),
  sigma: boundedParameter(0).default(1),
  homophily: z.number().min(0).max(1).default(0),
  /** draw a baseline (pre-period) outcome whose noise has this correlation with the outcome's (covariate "baseline") */
  baselineCorrelation: z.number().min(-1).max(1).optional(),
});

export const linearInMeansKind: ModelKind<typeof linearInMeansSchema> = {
  type: 'linear-in-means',
  schema: linearInMeansSchema,
  create: linearInMeans,
};
