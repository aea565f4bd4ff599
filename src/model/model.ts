// The model: what users do given everyone's treatment dose. A model draws the
// replication's own randomness once (noise, latent traits), so the treated
// world, the control world and every design in that replication share it
// (common random numbers), then maps any dose vector to per-user outcomes.
import type { Rng } from '../random/streams.js';
import type { SocialGraph } from '../graph/csr.js';

/**
 * A metric is a per-user numerator, and for ratio metrics (open rate, drops
 * per participant) a per-user denominator: its value in a world is
 * scale * sum(num) / sum(den), or scale * mean(num) without a denominator.
 */
export interface Metric {
  readonly name: string;
  readonly ratio: boolean;
  /** e.g. 1000 for "per 1k users" */
  readonly scale: number;
}

/**
 * Who has the feature. `dose` is each user's share of treated units; under a
 * thread-level design `threadOn` says which threads have the feature (on for
 * all their members), otherwise it is null and a user has the feature in all
 * their threads when their dose is 1.
 */
export interface World {
  readonly dose: Float64Array;
  /**
   * the same doses as bytes when every one is 0 or 1 (partition designs):
   * an eighth of the memory traffic for models that read it; else absent
   */
  readonly treated?: Uint8Array | null;
  readonly threadOn: Uint8Array | null;
  /** optional output: a model with `writesPeerSum` stores each user's sum of friends' doses here */
  readonly peerSum?: Float64Array;
  /** true when peerSum already holds those sums (computed for a batch of replications): use them */
  readonly peerSumKnown?: boolean;
}

export interface OutcomeModel<D = unknown> {
  readonly type: string;
  readonly metrics: readonly Metric[];
  /**
   * True when world outcomes differ by an amount that does not depend on the
   * draw (e.g. additive noise): the inquiry is then simulated once per plan
   * instead of every replication.
   */
  readonly drawFreeEffect?: boolean;
  /**
   * True when outcomes() sums friends' doses and writes them to world.peerSum
   * when given: the replicator then derives full-neighbourhood exposure from
   * those sums instead of a second pass over the graph.
   */
  readonly writesPeerSum?: boolean;
  /**
   * the replication's randomness, shared by every world and design; a model
   * may overwrite and return `reuse`, an earlier draw of its own that the
   * caller no longer needs (saves allocating n-sized arrays per replication)
   */
  draw(rng: (purpose: string) => Rng, reuse?: D): D;
  /** a pre-treatment covariate of a draw (e.g. 'baseline', the pre-period outcome), null when the model has none by that name */
  covariate?(name: string, draw: D): Float64Array | null;
  /** per-user outcomes in a world: num[k] for metric k; den[k] only for ratio metrics */
  outcomes(draw: D, world: World, num: Float64Array[], den: Float64Array[]): void;
}

export const meanMetric = (name: string, scale = 1): Metric => ({ name, ratio: false, scale });
export const ratioMetric = (name: string, scale = 1): Metric => ({ name, ratio: true, scale });

/** The value of a metric in one world. */
export function metricValue(m: Metric, num: Float64Array, den: Float64Array | undefined): number {
  if (!m.ratio) return m.scale * mean(num);
  return (m.scale * sum(num)) / sum(den!);
}

/** Buffers for a model's outcomes. */
export function outcomeBuffers(model: OutcomeModel<any>, n: number): { num: Float64Array[]; den: Float64Array[] } {
  return {
    num: model.metrics.map(() => new Float64Array(n)),
    den: model.metrics.map((m) => (m.ratio ? new Float64Array(n) : new Float64Array(0))),
  };
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
  return globalEffects(model, draw, n, [null])[0]!;
}

/**
 * The same inquiry over several populations at once (both worlds simulated
 * once): out[j][k] is metric k's global effect averaged over the users of
 * populations[j] (1 = in it; null = every user, exactly globalEffect).
 */
export function globalEffects<D>(model: OutcomeModel<D>, draw: D, n: number, populations: readonly (Uint8Array | null)[]): number[][] {
  const w1 = outcomeBuffers(model, n);
  const w0 = outcomeBuffers(model, n);
  model.outcomes(draw, { dose: new Float64Array(n).fill(1), threadOn: null }, w1.num, w1.den);
  model.outcomes(draw, { dose: new Float64Array(n), threadOn: null }, w0.num, w0.den);
  return populations.map((pop) =>
    model.metrics.map((m, k) =>
      pop
        ? metricValueOver(m, w1.num[k]!, w1.den[k], pop) - metricValueOver(m, w0.num[k]!, w0.den[k], pop)
        : metricValue(m, w1.num[k]!, w1.den[k]) - metricValue(m, w0.num[k]!, w0.den[k]),
    ),
  );
}

/** The value of a metric in one world over the users of a population (1 = in it). */
export function metricValueOver(m: Metric, num: Float64Array, den: Float64Array | undefined, population: Uint8Array): number {
  let s = 0,
    d = 0;
  for (let i = 0; i < num.length; i++) {
    if (!population[i]) continue;
    s += num[i]!;
    d += m.ratio ? den![i]! : 1;
  }
  return (m.scale * s) / d;
}

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

export function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
