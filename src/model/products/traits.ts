// Who the users and groups are, drawn once per replication: heavy-tailed
// activity, connection quality (a share of users sit in a low-connectivity
// market) and each thread's tie strength. Tie strength starts from the share
// of member pairs who are friends, a graph fact computed once per model,
// plus per-replication noise on the logit scale.
import type { CSR, SocialGraph, Threads } from '../../graph/csr.js';
import { normal, pareto, type Rng } from '../../random/streams.js';
import { purpose } from '../../random/names.js';
import { logit, sigmoid } from '../../random/hash.js';

export interface TraitParams {
  /** Pareto shape of activity (minimum 1); smaller = heavier tail */
  activityTail: number;
  /** share of users in the low-connectivity market */
  lowConnShare: number;
  /** mean connection quality (0..1) in the low and the other markets */
  lowConnQuality: number;
  connQuality: number;
  /** sd of the logit-scale noise added to the friend-pair share */
  tieNoise: number;
}

export interface Traits {
  readonly activity: Float64Array;
  readonly quality: Float64Array;
  readonly lowConn: Uint8Array;
  readonly tie: Float64Array;
}

/** Is v a friend of u? Rows are sorted, so binary search. */
export function areFriends(g: CSR, u: number, v: number): boolean {
  let lo = g.offsets[u]!;
  let hi = g.offsets[u + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = g.nbrs[mid]!;
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** Share of each thread's member pairs who are friends. */
export function friendPairShare(g: CSR, th: Threads): Float64Array {
  const out = new Float64Array(th.count);
  for (let t = 0; t < th.count; t++) {
    const a = th.offsets[t]!;
    const b = th.offsets[t + 1]!;
    let f = 0;
    for (let x = a; x < b; x++) for (let y = x + 1; y < b; y++) if (areFriends(g, th.members[x]!, th.members[y]!)) f++;
    const k = b - a;
    out[t] = k > 1 ? f / ((k * (k - 1)) / 2) : 0;
  }
  return out;
}

export function drawTraits(graph: SocialGraph, share: Float64Array, p: TraitParams, rng: (purpose: string) => Rng): Traits {
  const n = graph.csr.n;
  const activity = new Float64Array(n);
  const act = pareto(rng(purpose.activity), p.activityTail);
  for (let i = 0; i < n; i++) activity[i] = Math.min(100, act());

  // markets follow communities when the generator knows them: friends share a market
  const lowConn = new Uint8Array(n);
  const m = rng(purpose.market);
  if (graph.blocks) {
    const low = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const b = graph.blocks[i]!;
      let l = low.get(b);
      if (l === undefined) low.set(b, (l = m() < p.lowConnShare ? 1 : 0));
      lowConn[i] = l;
    }
  } else for (let i = 0; i < n; i++) lowConn[i] = m() < p.lowConnShare ? 1 : 0;

  const quality = new Float64Array(n);
  const zq = normal(rng(purpose.quality), 0, 0.5);
  const lq = logit(p.lowConnQuality);
  const hq = logit(p.connQuality);
  for (let i = 0; i < n; i++) quality[i] = sigmoid((lowConn[i] ? lq : hq) + zq());

  const tie = new Float64Array(share.length);
  const zt = normal(rng(purpose.tie), 0, p.tieNoise);
  for (let t = 0; t < share.length; t++) tie[t] = sigmoid(logit(Math.min(0.98, Math.max(0.02, share[t]!))) + zt());
  return { activity, quality, lowConn, tie };
}

/** Per-user segment covariates: mean tie strength and largest group size over the user's threads. */
export function userGroupCovariates(th: Threads, tie: Float64Array): { meanTie: Float64Array; maxSize: Float64Array } {
  const n = th.userOffsets.length - 1;
  const meanTie = new Float64Array(n).fill(NaN);
  const maxSize = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = th.userOffsets[i]!;
    const b = th.userOffsets[i + 1]!;
    let s = 0;
    for (let q = a; q < b; q++) {
      const t = th.userThreads[q]!;
      s += tie[t]!;
      maxSize[i] = Math.max(maxSize[i]!, th.offsets[t + 1]! - th.offsets[t]!);
    }
    if (b > a) meanTie[i] = s / (b - a);
  }
  return { meanTie, maxSize };
}
