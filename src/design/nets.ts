// Graph decompositions of Ugander et al. (2013) and Ugander & Yin (2023).
// Both are driven by a priority per node, so the same code gives a fixed
// clustering (priorities from the design's seed) and the fresh random
// clusterings of RGCR (new priorities per draw).
import type { CSR } from '../graph/csr.js';
import type { Rng } from '../random/streams.js';

/**
 * r-net clustering (Ugander et al. 2013; randomized as in Ugander & Yin
 * 2023): visit nodes by decreasing priority; a node becomes a seed unless a
 * seed lies within distance r - 1 of it. Seeds are then pairwise at least r
 * apart and every node is within r - 1 of one. Each node joins its nearest
 * seed. Ties (for the 3-net: a node at distance 2 from several seeds) go to
 * the seed that comes first in a second, independent random ordering of the
 * seeds, given as one more uniform per node (`ties`, seed s ranked by
 * decreasing ties[s]): that is the papers' `r_net`. With 'visit-order' ties
 * go to the seed found first instead (their code's `r_net_f` variant), so
 * early seeds win every contested node. r = 3 is the 3-net
 * (a maximal independent set of the squared graph); larger r gives coarser
 * ε-nets of the graph metric.
 */
export function netClustering(
  g: CSR,
  radius: number,
  priority: Float64Array,
  ties: Float64Array | 'visit-order',
): { labels: Int32Array; count: number; seeds: number[] } {
  const n = g.n;
  const order = byPriority(priority);
  const blocked = new Uint8Array(n);
  const dist = new Int32Array(n).fill(-1);
  const queue = new Uint32Array(n);
  const seeds: number[] = [];
  for (let t = 0; t < n; t++) {
    const s = order[t]!;
    if (blocked[s]) continue;
    seeds.push(s);
    // block the ball of radius r - 1 around the new seed (bounded BFS)
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    dist[s] = 0;
    blocked[s] = 1;
    while (head < tail) {
      const u = queue[head++]!;
      if (dist[u]! >= radius - 1) continue;
      for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
        const v = g.nbrs[e]!;
        if (dist[v] !== -1) continue;
        dist[v] = dist[u]! + 1;
        blocked[v] = 1;
        queue[tail++] = v;
      }
    }
    for (let k = 0; k < tail; k++) dist[queue[k]!] = -1;
  }
  // Multi-source BFS from the seeds in tie order: a level's nodes sit in the
  // queue grouped by their seed's rank, so the first seed to reach a node is,
  // among its nearest seeds, the one ranked first.
  if (ties !== 'visit-order') seeds.sort((a, b) => ties[b]! - ties[a]! || a - b);
  const labels = new Int32Array(n).fill(-1);
  let head = 0;
  let tail = 0;
  seeds.forEach((s, c) => {
    labels[s] = c;
    queue[tail++] = s;
  });
  while (head < tail) {
    const u = queue[head++]!;
    for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
      const v = g.nbrs[e]!;
      if (labels[v] === -1) ((labels[v] = labels[u]!), (queue[tail++] = v));
    }
  }
  return { labels, count: seeds.length, seeds };
}

/**
 * 1-hop-max: every node joins the cluster named by the highest-priority node
 * of its closed neighbourhood. Clusters need not be connected.
 */
export function oneHopMax(g: CSR, priority: Float64Array): { labels: Int32Array; count: number } {
  const n = g.n;
  const centre = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    let best = j;
    for (let e = g.offsets[j]!; e < g.offsets[j + 1]!; e++) {
      const v = g.nbrs[e]!;
      if (priority[v]! > priority[best]!) best = v;
    }
    centre[j] = best;
  }
  return relabel(centre);
}

/**
 * One uniform priority per node. With a stratum (index s of L), node i's
 * priority is drawn from the slice [(σ_i + s mod L) / L, ...) of a random
 * offset σ_i fixed per batch, so over L consecutive draws every node is
 * near the top exactly as often as near the bottom (Latin hypercube
 * stratification of the clustering's randomness).
 */
export function priorities(
  rng: Rng,
  n: number,
  out = new Float64Array(n),
  stratum?: { index: number; of: number; offset: Uint32Array },
): Float64Array {
  if (!stratum) {
    for (let i = 0; i < n; i++) out[i] = rng();
    return out;
  }
  const L = stratum.of;
  for (let i = 0; i < n; i++) out[i] = (((stratum.offset[i]! + stratum.index) % L) + rng()) / L;
  return out;
}

/** Labels 0..count-1 in order of first appearance. */
export function relabel(raw: Int32Array): { labels: Int32Array; count: number } {
  const map = new Int32Array(raw.length).fill(-1);
  const labels = new Int32Array(raw.length);
  let count = 0;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    if (map[r] === -1) map[r] = count++;
    labels[i] = map[r]!;
  }
  return { labels, count };
}

function byPriority(priority: Float64Array): Uint32Array {
  const order = new Uint32Array(priority.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => priority[b]! - priority[a]! || a - b);
}

export type ClusteringMethod = { method: 'net'; radius: number; ties?: 'random-order' | 'visit-order' } | { method: 'one-hop-max' };

/**
 * One random clustering (randomized r-net or 1-hop-max) from `rng`. With
 * `forced` = i, node i comes first (the top priority): averaging over every
 * forced node in turn is Ugander & Yin's stratified sampling of clusterings,
 * unbiased because the first node of a uniform order is uniform, and far
 * more precise for rare clusterings that favour one node (it being a seed).
 */
export function randomClustering(g: CSR, m: ClusteringMethod, rng: Rng, forced = -1): { labels: Int32Array; count: number } {
  const pr = priorities(rng, g.n);
  if (forced >= 0) pr[forced] = Infinity;
  if (m.method === 'one-hop-max') return oneHopMax(g, pr);
  return netClustering(g, m.radius, pr, m.ties === 'visit-order' ? 'visit-order' : priorities(rng, g.n));
}
