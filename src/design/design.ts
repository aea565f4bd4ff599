// The data strategy: who is treated. Every design randomizes *units* (users,
// threads, clusters) and maps each user to the units that decide their
// treatment. A user's dose is the share of their units that are treated:
// 0/1 for partition designs, a fraction for thread-level designs where a user
// sits in several threads.
import type { Rng } from '../random/streams.js';
import { bernoulliFill } from '../random/fast.js';
import type { SocialGraph } from '../graph/csr.js';

export interface Units {
  /** number of randomization units */
  readonly count: number;
  /** user -> units, CSR: units of user i are list[offsets[i] .. offsets[i+1]) */
  readonly offsets: Uint32Array;
  readonly list: Uint32Array;
  /** true when every user belongs to exactly one unit (a clustering) */
  readonly partition: boolean;
  /** true when unit i is user i (user-level designs): hot loops then skip the lookup */
  readonly identity?: boolean;
}

export type Scheme =
  /** each unit treated independently with probability p */
  | { kind: 'bernoulli'; p: number }
  /** exactly `treated` of the units treated, all subsets equally likely */
  | { kind: 'complete'; treated: number }
  /**
   * units matched in pairs (partner[u], -1 for an unmatched unit): one of
   * each pair treated by a fair coin, an unmatched unit by its own coin
   */
  | { kind: 'paired'; partner: Int32Array }
  /**
   * complete randomization within blocks (randomizr's block_ra): block[u]
   * is unit u's block, size[b] its number of units; block b treats
   * floor(treated[b]) of them, plus one more with probability equal to the
   * fractional part of treated[b] = p·size[b], so every unit's marginal is
   * exactly p (an integral treated[b] is an exact count)
   */
  | { kind: 'blocked'; block: Int32Array; size: Int32Array; treated: Float64Array };

/**
 * What a draw reports besides unit treatments, for designs whose clustering
 * changes from draw to draw: the clustering used, and under two arms which
 * clusters fell in the cluster-randomized arm.
 */
export type Draw =
  | { readonly kind: 'clustering'; readonly labels: Int32Array; readonly count: number }
  | { readonly kind: 'two-arms'; readonly labels: Int32Array; readonly count: number; readonly arm: Uint8Array }
  /** a randomized saturation design's stage 1: level[c] is cluster c's saturation, an index into the structure's `saturations` */
  | { readonly kind: 'saturation'; readonly labels: Int32Array; readonly count: number; readonly level: Uint8Array }
  /**
   * a staggered rollout: stage[u] is the first stage at which unit u is
   * treated (an index into `shares`), shares.length when it never is; unit
   * u is treated at stage t iff stage[u] <= t, and the observed assignment
   * is the last stage's
   */
  | { readonly kind: 'rollout'; readonly stage: Uint8Array; readonly shares: Float64Array };

/**
 * A design whose clustering is drawn afresh for every assignment (RGCR) or
 * picked among a few fixed ones (mixture). Its units are the users; each
 * cluster of the drawn clustering is treated with probability p.
 */
export interface RandomClustering {
  readonly kind: 'rgcr' | 'mixture';
  readonly p: number;
  /** draw a clustering into `labels` and return its cluster count */
  draw(rng: Rng, labels: Int32Array): number;
  /** the fixed clusterings of a mixture, each drawn with equal probability */
  readonly fixed?: readonly { labels: Int32Array; count: number }[];
  /** users further apart than this many hops are exposed independently (Infinity: unknown) */
  readonly dependenceRadius: number;
}

/**
 * How a design randomizes, for the code that must know (exposure
 * probabilities, estimators' applicability, power): every consumer switches
 * on `kind` exhaustively, so a new kind is listed by the compiler wherever
 * it must be handled.
 */
export type Structure =
  /**
   * units fixed for the whole experiment, randomized by `scheme`; the first
   * `threadUnits` units are group threads (the feature is on in a treated
   * thread for all its members), 0 when units are not threads
   */
  | { readonly kind: 'fixed'; readonly scheme: Scheme; readonly threadUnits: number }
  /** a clustering drawn for each assignment; its clusters treated independently with probability p */
  | { readonly kind: 'random-clustering'; readonly clustering: RandomClustering }
  /**
   * Saveski et al. (2017): the clusters `labels` split at random into a
   * user-randomized and a cluster-randomized arm, complete randomization in each
   */
  | { readonly kind: 'two-arms'; readonly labels: Int32Array; readonly count: number; readonly clusterArmShare: number }
  /**
   * Saint-Jacques et al. (2019): unit k is the closed neighbourhood of ego
   * `egos[k]` (no two overlap), treated by `scheme`; users in no ego's
   * neighbourhood have no unit (dose 0 always). The inquiry is the effect on
   * the egos, the analysis `population` (1 = ego, one byte per user).
   */
  | {
      readonly kind: 'ego';
      readonly scheme: Extract<Scheme, { kind: 'bernoulli' }>;
      readonly egos: Uint32Array;
      readonly population: Uint8Array;
    }
  /**
   * Randomized saturation (Hudgens & Halloran 2008; Baird et al. 2018): the
   * units are the users; each draw gives every cluster of `labels` a
   * saturation from `saturations` (sorted; an equal number of clusters
   * each), then treats that share of its users by complete randomization
   */
  | { readonly kind: 'saturation'; readonly labels: Int32Array; readonly count: number; readonly saturations: Float64Array }
  /**
   * A staggered (nested Bernoulli) rollout (Cortez, Eichhorn & Yu 2022): the
   * treated share of the fixed units rises through `shares` (p_0 < … < p_T);
   * each unit draws one uniform U and is treated from the first stage t with
   * U < p_t on, so treated sets only grow. The observed experiment is the
   * last stage, whose units are independently treated with probability p_T:
   * exactly `scheme`, so whatever holds for fixed Bernoulli units holds for it
   */
  | { readonly kind: 'rollout'; readonly scheme: Extract<Scheme, { kind: 'bernoulli' }>; readonly shares: Float64Array };

export interface Design {
  /** label shown in tables, unique within a scenario */
  readonly name: string;
  /** the scenario's design type, for display only: code switches on `structure` */
  readonly type: string;
  /** marginal probability that a unit is treated */
  readonly p: number;
  readonly units: Units;
  readonly structure: Structure;
  /** draw which units are treated (1) into `out` (length units.count); designs whose clustering changes per draw also return it */
  drawUnits(rng: Rng, out: Uint8Array): Draw | void;
}

/** One assignment as every later stage sees it: passed through unchanged. */
export interface Assignment {
  readonly unitZ: Uint8Array;
  /** each user's share of treated units */
  readonly dose: Float64Array;
  /** the same as 0/1 bytes when units are a partition, else null */
  readonly treated: Uint8Array | null;
  /** threads with the feature (thread-level designs), else null */
  readonly threadOn: Uint8Array | null;
  /** the clustering (and arms) of this draw; null for fixed units */
  readonly draw: Draw | null;
  /** the users the inquiry and the estimators are about (1), when the design names them (ego clusters); null: everyone */
  readonly population: Uint8Array | null;
}

/**
 * Complete an assignment from the unit treatments a draw wrote: doses, 0/1
 * treatments (into the given buffers, reused across replications) and
 * which threads are on.
 */
export function assignment(
  design: Design,
  unitZ: Uint8Array,
  draw: Draw | null,
  buffers: { dose: Float64Array; treated: Uint8Array },
): Assignment {
  const { units, structure } = design;
  doseOf(units, unitZ, buffers.dose);
  const treated = units.identity ? unitZ : units.partition ? gatherUnits(unitZ, units.list, buffers.treated) : null;
  const threadOn = structure.kind === 'fixed' && structure.threadUnits > 0 ? unitZ.subarray(0, structure.threadUnits) : null;
  return { unitZ, dose: buffers.dose, treated, threadOn, draw, population: populationOf(design) };
}

/** The analysis population of a design (1 = in it), or null when the inquiry is about every user. */
export function populationOf(design: Design): Uint8Array | null {
  return design.structure.kind === 'ego' ? design.structure.population : null;
}

/** The random clustering of a design, or null when its units are fixed or it has two arms. */
export function randomClusteringOf(design: Design): RandomClustering | null {
  return design.structure.kind === 'random-clustering' ? design.structure.clustering : null;
}

/** out[i] = z[list[i]]: each user's treatment from their unit's. */
function gatherUnits(z: Uint8Array, list: Uint32Array, out: Uint8Array): Uint8Array {
  for (let i = 0; i < out.length; i++) out[i] = z[list[i]!]!;
  return out;
}

/** Context a design factory receives: the graph and a stream for its own setup (e.g. Louvain). */
export interface DesignContext {
  readonly graph: SocialGraph;
  readonly rng: (purpose: string) => Rng;
  /**
   * Clusterings already computed (by design name), e.g. in the main thread
   * before workers start; a design that finds its own here skips the work.
   * Designs that compute one record it here.
   */
  readonly clusterings?: Map<string, { labels: Int32Array; count: number }>;
}

/** Units for a clustering given as one label per user (labels 0..count-1). */
export function partitionUnits(labels: Int32Array | Uint32Array, count: number): Units {
  const n = labels.length;
  const offsets = new Uint32Array(n + 1);
  const list = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    offsets[i + 1] = i + 1;
    list[i] = labels[i]!;
  }
  return { count, offsets, list, partition: true };
}

/** Each user is their own unit. */
export function identityUnits(n: number): Units {
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) labels[i] = i;
  return { ...partitionUnits(labels, n), identity: true };
}

/** Draw unit treatments under a scheme. */
export function drawScheme(scheme: Scheme, rng: Rng, out: Uint8Array): void {
  const count = out.length;
  if (scheme.kind === 'bernoulli') {
    bernoulliFill(rng, scheme.p, out); // bulk on fast streams; same coins as rng() < p
    return;
  }
  if (scheme.kind === 'paired') {
    const { partner } = scheme;
    for (let u = 0; u < count; u++) {
      const v = partner[u]!;
      if (v < 0) out[u] = rng() < 0.5 ? 1 : 0;
      else if (v > u) ((out[u] = rng() < 0.5 ? 1 : 0), (out[v] = 1 - out[u]!));
    }
    return;
  }
  if (scheme.kind === 'blocked') {
    drawBlocked(scheme, rng, out);
    return;
  }
  // complete: selection sampling (Knuth's algorithm S), one pass, exact size
  let need = scheme.treated;
  for (let u = 0; u < count; u++) {
    const take = rng() * (count - u) < need;
    out[u] = take ? 1 : 0;
    if (take) need--;
  }
}

/**
 * Blocked: first each block's count (floor(treated[b]), one more with the
 * fractional part's probability: one uniform per block with a fractional
 * part, in block order), then selection sampling within every block in one
 * pass over the units (a unit is taken with probability need/left of its
 * own block).
 */
function drawBlocked(scheme: Extract<Scheme, { kind: 'blocked' }>, rng: Rng, out: Uint8Array): void {
  const { block, size, treated } = scheme;
  const B = size.length;
  const need = new Float64Array(B);
  const left = Float64Array.from(size);
  for (let b = 0; b < B; b++) {
    const t = treated[b]!;
    const whole = Math.floor(t);
    need[b] = t > whole && rng() < t - whole ? whole + 1 : whole;
  }
  for (let u = 0; u < out.length; u++) {
    const b = block[u]!;
    const take = rng() * left[b]! < need[b]!;
    out[u] = take ? 1 : 0;
    left[b]!--;
    if (take) need[b]!--;
  }
}

/** Dose of each user: share of their units treated (0 for a user with no unit). */
export function doseOf(units: Units, unitZ: Uint8Array, out: Float64Array): Float64Array {
  const { offsets, list } = units;
  const n = offsets.length - 1;
  if (units.identity) {
    out.set(unitZ); // a native copy: 6x faster than a loop here
    return out;
  }
  if (units.partition) {
    // one unit each: list[i] is user i's unit (4x faster than the general loop)
    for (let i = 0; i < n; i++) out[i] = unitZ[list[i]!]!;
    return out;
  }
  for (let i = 0; i < n; i++) {
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    if (b - a === 1) {
      out[i] = unitZ[list[a]!]!;
      continue;
    }
    let s = 0;
    for (let k = a; k < b; k++) s += unitZ[list[k]!]!;
    out[i] = b > a ? s / (b - a) : 0;
  }
  return out;
}

/** Sizes of the units of a partition design. */
export function unitSizes(units: Units): Float64Array {
  const sizes = new Float64Array(units.count);
  for (let k = 0; k < units.list.length; k++) sizes[units.list[k]!]!++;
  return sizes;
}

/**
 * Mean over users of the share of their friends in their own cluster
 * (isolated users count 0). Under linear-in-means with a partition design
 * the difference in means converges to beta + gamma * this.
 */
export function withinClusterShare(csr: { n: number; offsets: Uint32Array; nbrs: Uint32Array }, units: Units): number {
  if (!units.partition) return NaN;
  const { n, offsets, nbrs } = csr;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    if (a === b) continue;
    const c = units.list[i]!;
    let same = 0;
    for (let k = a; k < b; k++) if (units.list[nbrs[k]!] === c) same++;
    total += same / (b - a);
  }
  return total / n;
}
