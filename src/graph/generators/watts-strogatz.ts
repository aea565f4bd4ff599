// Watts–Strogatz small world: a ring lattice where each node owns the k/2
// edges to its clockwise neighbours, and each owned edge is rewired with
// probability beta to a uniform node that is neither the owner nor already
// its neighbour (as networkx does), so the edge count stays exactly n·k/2.
//
// Nodes are processed in order 0..n-1 (networkx loops over the lattice
// offset first; the model is the same). When node u is processed, its
// neighbour set is known without a hash set: its own k/2 lattice edges, the
// lattice edges owned by its k/2 anticlockwise neighbours unless those were
// already rewired away, and the rewired edges that landed on u from earlier
// nodes (kept in a linked list). A marker array then makes the "already a
// neighbour" check O(1), and the whole run O(n·k) time and memory.
import { csrFromEdges, type SocialGraph } from '../csr.js';
import type { Rng } from '../../random/streams.js';
import { UserError } from '../../errors.js';
import { checkInt, checkReal } from './_check.js';
import { z } from 'zod';
import { LIMITS, boundedInt, posInt, prob } from '../../schema-common.js';
import { covariates, type GeneratorKind } from './kind.js';

export interface WattsStrogatzOptions {
  n: number;
  /** even number of neighbours per node in the ring lattice, 2 <= k < n */
  k: number;
  /** probability of rewiring each lattice edge */
  beta: number;
}

export function wattsStrogatz(opts: WattsStrogatzOptions, rng: Rng, shared = false): SocialGraph {
  const mod = 'watts-strogatz';
  const n = checkInt(mod, 'n', opts.n, 3, 2 ** 31 - 1);
  const k = checkInt(mod, 'k', opts.k, 2, n - 1);
  if (k % 2 !== 0) throw new UserError(`${mod}: k must be even, got ${k}`, 'EPARAM');
  const beta = checkReal(mod, 'beta', opts.beta, 0, 1);
  const h = k / 2;
  const m = n * h;
  if (m > 2 ** 31 - 1) throw new UserError(`${mod}: n·k/2 must be < 2^31 edges, got ${m}`, 'EPARAM');
  // Edge slot e = u·h + (j − 1) is owned by u and starts as (u, u + j mod n).
  const target = new Uint32Array(m);
  const rewired = new Uint8Array(m);
  const head = new Int32Array(n).fill(-1); // rewired edges landing on a node not yet processed
  const next = new Int32Array(m);
  const mark = new Int32Array(n).fill(-1); // mark[v] === u: v is a neighbour of u now

  for (let u = 0; u < n; u++) {
    let deg = 0;
    for (let j = 1; j <= h; j++) {
      mark[(u + j) % n] = u;
      deg++;
      const o = (u - j + n) % n; // owner of the lattice edge (o, u)
      if (o > u || !rewired[o * h + j - 1]) {
        mark[o] = u;
        deg++;
      }
    }
    for (let e = head[u]!; e >= 0; e = next[e]!) {
      mark[Math.floor(e / h)] = u;
      deg++;
    }
    for (let j = 1; j <= h; j++) {
      const e = u * h + j - 1;
      const v = (u + j) % n;
      target[e] = v;
      if (rng() < beta && deg < n - 1) {
        let w: number;
        do w = Math.floor(rng() * n);
        while (w === u || mark[w] === u);
        mark[v] = -1;
        mark[w] = u;
        target[e] = w;
        rewired[e] = 1;
        if (w > u) {
          next[e] = head[w]!;
          head[w] = e;
        }
      }
    }
  }
  const owner = new Uint32Array(m);
  for (let e = 0; e < m; e++) owner[e] = Math.floor(e / h);
  const { csr } = csrFromEdges(n, owner, target, m, shared);
  return { csr };
}

const wattsStrogatzSchema = z.strictObject({
  generator: z.literal('watts-strogatz'),
  covariates,
  n: boundedInt(1, LIMITS.nodes, 'node ids are 32-bit'),
  k: posInt,
  beta: prob,
});

export const wattsStrogatzKind: GeneratorKind<typeof wattsStrogatzSchema> = {
  type: 'watts-strogatz',
  schema: wattsStrogatzSchema,
  generate: (g, rng, shared) => wattsStrogatz(g, rng, shared),
};
