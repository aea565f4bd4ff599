// Barabási–Albert preferential attachment. Seed: a clique on nodes 0..m-1
// (C(m, 2) edges); every later node v = m..n-1 links to m distinct earlier
// nodes, so there are exactly (n − m)·m + C(m, 2) edges and every degree is
// >= m. Node m links to the whole seed (K_{m+1}); after that, targets are
// drawn uniformly from the repeated-endpoints array as it stood before v
// arrived (each node appears once per unit of degree), rejecting repeats.
import { csrFromEdges, type SocialGraph } from '../csr.js';
import type { Rng } from '../../random/streams.js';
import { checkInt } from './_check.js';
import { z } from 'zod';
import { LIMITS, boundedInt, posInt } from '../../schema-common.js';
import { covariates, type GeneratorKind } from './kind.js';

export interface BarabasiAlbertOptions {
  /** number of nodes */
  n: number;
  /** edges each new node brings, 1 <= m < n */
  m: number;
}

export function barabasiAlbert(opts: BarabasiAlbertOptions, rng: Rng, shared = false): SocialGraph {
  const n = checkInt('barabasi-albert', 'n', opts.n, 2, 2 ** 31 - 1);
  const m = checkInt('barabasi-albert', 'm', opts.m, 1, n - 1);
  const total = (n - m) * m + (m * (m - 1)) / 2;
  // The edge list doubles as the endpoint array: endpoint k is src[k/2] or dst[k/2].
  const src = new Uint32Array(total);
  const dst = new Uint32Array(total);
  let e = 0;
  for (let i = 1; i <= m; i++) {
    for (let j = 0; j < i; j++) {
      src[e] = i;
      dst[e++] = j;
    }
  }
  const mark = new Int32Array(n).fill(-1);
  for (let v = m + 1; v < n; v++) {
    const pool = 2 * e;
    for (let c = 0; c < m; c++) {
      let t: number;
      do {
        const k = Math.floor(rng() * pool);
        const h = Math.floor(k / 2);
        t = k === 2 * h ? src[h]! : dst[h]!;
      } while (mark[t] === v);
      mark[t] = v;
      src[e] = v;
      dst[e++] = t;
    }
  }
  const { csr } = csrFromEdges(n, src, dst, total, shared);
  return { csr };
}

const barabasiAlbertSchema = z.strictObject({
  generator: z.literal('barabasi-albert'),
  covariates,
  n: boundedInt(1, LIMITS.nodes, 'node ids are 32-bit'),
  m: posInt,
});

export const barabasiAlbertKind: GeneratorKind<typeof barabasiAlbertSchema> = {
  type: 'barabasi-albert',
  schema: barabasiAlbertSchema,
  generate: (g, rng, shared) => barabasiAlbert(g, rng, shared),
};
