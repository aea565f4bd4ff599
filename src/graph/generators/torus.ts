// Kleinberg-style small world on a side × side torus. Node id = y·side + x.
// Local edges join every pair within torus-wrapped Manhattan distance
// <= radius. Each node i then initiates q_i long-range edges, q_i a scaled
// Pareto(tail) count with stochastic rounding so E[q_i] = longRangeMean
// exactly; its endpoints are at distance d with probability ∝ 4d · d^-r.
//
// Long-range distances run over radius + 1 .. dmax, dmax = floor((side-1)/2):
// below radius + 1 they would repeat local edges, and up to dmax the 4d
// points of the distance-d diamond are distinct on the torus and all at
// torus distance d, so "uniform node at distance d" is exact. A node's own
// endpoints are distinct (rejection, at most 64 tries each, so hubs at steep
// exponents may end a few short); two nodes picking each other is left to
// csrFromEdges, which drops the duplicate.
import { csrFromEdges, EdgeBuffer, type SocialGraph } from '../csr.js';
import { pareto, type Rng } from '../../random/streams.js';
import { UserError } from '../../errors.js';
import { checkInt, checkReal } from './_check.js';
import { z } from 'zod';
import { boundedInt, posInt } from '../../schema-common.js';
import { covariates, type GeneratorKind } from './kind.js';

export interface TorusOptions {
  /** the torus has side × side nodes, side >= 3 */
  side: number;
  /** local edges to all nodes within lattice distance <= radius, 1 <= radius < side / 2 */
  radius: number;
  /** mean number of long-range edges a node initiates (>= 0) */
  longRangeMean: number;
  /** r >= 0: a long-range endpoint at distance d has probability ∝ d^-r */
  exponent: number;
  /** Pareto shape alpha > 1 of the long-range count per node */
  tail: number;
}

/** Lattice coordinates of each node (id = y·side + x), for spatial covariates. */
export function torusCoords(side: number): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(side * side);
  const y = new Float64Array(side * side);
  for (let i = 0; i < side * side; i++) {
    x[i] = i % side;
    y[i] = Math.floor(i / side);
  }
  return { x, y };
}

/** Cumulative weights 4d · d^-r of the long-range distances radius + 1 .. dmax. */
export function torusDistanceCdf(side: number, radius: number, exponent: number): Float64Array {
  const dmax = Math.floor((side - 1) / 2);
  const cdf = new Float64Array(Math.max(0, dmax - radius));
  let acc = 0;
  for (let d = radius + 1; d <= dmax; d++) cdf[d - radius - 1] = acc += 4 * d * d ** -exponent;
  return cdf;
}

export function torus(opts: TorusOptions, rng: Rng, shared = false): SocialGraph {
  const side = checkInt('torus', 'side', opts.side, 3, 46340);
  const radius = checkInt('torus', 'radius', opts.radius, 1, Math.ceil(side / 2) - 1);
  const mean = checkReal('torus', 'longRangeMean', opts.longRangeMean, 0);
  const r = checkReal('torus', 'exponent', opts.exponent, 0);
  const alpha = checkReal('torus', 'tail', opts.tail, 1, Infinity, true);
  const dmax = Math.floor((side - 1) / 2);
  if (mean > 0 && radius >= dmax) {
    throw new UserError(
      `torus: radius must be < floor((side - 1) / 2) = ${dmax} when longRangeMean > 0 (long-range edges span distances radius + 1 .. ${dmax}), got ${radius}`,
      'EPARAM',
    );
  }
  const n = side * side;
  const edges = new EdgeBuffer(n * radius * (radius + 1) + Math.ceil(1.05 * n * mean) + 64);
  const wrap = (x: number, y: number) => ((y + side) % side) * side + ((x + side) % side);

  // local: each node adds the half of its diamond with dx > 0, or dx = 0 and dy > 0
  for (let i = 0; i < n; i++) {
    const x = i % side;
    const y = (i - x) / side;
    for (let dy = 1; dy <= radius; dy++) edges.push(i, wrap(x, y + dy));
    for (let dx = 1; dx <= radius; dx++) {
      for (let dy = dx - radius; dy <= radius - dx; dy++) edges.push(i, wrap(x + dx, y + dy));
    }
  }

  if (mean > 0) {
    const cdf = torusDistanceCdf(side, radius, r);
    const total = cdf[cdf.length - 1]!;
    const candidates = (dmax * (dmax + 1) - radius * (radius + 1)) * 2; // sum of 4d
    const scale = (mean * (alpha - 1)) / alpha; // Pareto(alpha) with minimum 1 has mean alpha / (alpha - 1)
    const count = pareto(rng, alpha);
    const mark = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const c = scale * count();
      let q = Math.floor(c);
      if (rng() < c - q) q++;
      q = Math.min(q, candidates);
      const x = i % side;
      const y = (i - x) / side;
      for (let e = 0; e < q; e++) {
        for (let tries = 0; tries < 64; tries++) {
          // distance by binary search in the cdf, then one of the 4d diamond points
          const u = rng() * total;
          let lo = 0;
          let hi = cdf.length - 1;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cdf[mid]! > u) hi = mid;
            else lo = mid + 1;
          }
          const d = lo + radius + 1;
          const t = Math.floor(rng() * 4 * d);
          const s = t % d;
          const quad = (t - s) / d;
          const a = d - s; // the point (a, s) rotated by quad quarter turns
          const dx = quad === 0 ? a : quad === 1 ? -s : quad === 2 ? -a : s;
          const dy = quad === 0 ? s : quad === 1 ? a : quad === 2 ? -s : -a;
          const j = wrap(x + dx, y + dy);
          if (mark[j] === i) continue;
          mark[j] = i;
          edges.push(i, j);
          break;
        }
      }
    }
  }
  const { csr } = csrFromEdges(n, edges.src, edges.dst, edges.length, shared);
  return { csr };
}

const torusSchema = z.strictObject({
  generator: z.literal('torus'),
  covariates,
  side: boundedInt(3, 46340, 'side² nodes must stay below 2^31'),
  radius: posInt.default(1),
  longRangeMean: z.number().min(0).default(1),
  exponent: z.number().min(0).default(2),
  tail: z.number().gt(1).default(2.5),
});

export const torusKind: GeneratorKind<typeof torusSchema> = {
  type: 'torus',
  schema: torusSchema,
  generate(g, rng, shared) {
    // lattice coordinates ride along so covariate models can build spatial fields
    const graph = torus(g, rng, shared);
    return { ...graph, attributes: { ...torusCoords(g.side) } };
  },
};
