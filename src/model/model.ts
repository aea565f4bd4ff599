// The model: what users do given everyone's treatment dose. A model draws the
// replication's own randomness once (noise, latent traits), so the treated
// world, the control world and every design in that replication share it
// (common random numbers), then maps any dose vector to per-user outcomes.
import type { Rng } from '../random/streams.js';
import type { SocialGraph } from '../graph/csr.js';

export interface OutcomeModel<D = unknown> {
  readonly type: string;
  /** per-user metrics this model produces; each estimand is a mean difference */
  readonly metrics: readonly string[];
  /** the replication's randomness, shared by every world and design */
  draw(rng: (purpose: string) => Rng): D;
  /** outcomes for a dose vector; out[k] is metric k, length n */
  outcomes(draw: D, dose: Float64Array, out: Float64Array[]): void;
}

export interface ModelContext {
  readonly graph: SocialGraph;
}

/**
 * The inquiry: the global average treatment effect of each metric, mean
 * outcome with everyone treated minus with no one treated, computed by
 * simulating both worlds with the same draw.
 */
export function globalEffect<D>(model: OutcomeModel<D>, draw: D, n: number): number[] {
  const ones = new Float64Array(n).fill(1);
  const zeros = new Float64Array(n);
  const y1 = model.metrics.map(() => new Float64Array(n));
  const y0 = model.metrics.map(() => new Float64Array(n));
  model.outcomes(draw, ones, y1);
  model.outcomes(draw, zeros, y0);
  return model.metrics.map((_, k) => mean(y1[k]!) - mean(y0[k]!));
}

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}
