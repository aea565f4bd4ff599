// Stochastic block model. Nodes are numbered block by block, so the pairs
// inside a block form a triangle and the pairs between block a and all later
// blocks form one rectangle of the pair index space; geometric skips over
// those (Batagelj & Brandes 2005) cost O(n + blocks + m), not O(n^2).
import { alloc, csrFromEdges, EdgeBuffer, type SocialGraph } from '../csr.js';
import { geometricSkip, type Rng } from '../../random/streams.js';
import { UserError } from '../../errors.js';
import { checkReal } from './_check.js';
import { z } from 'zod';
import { LIMITS, boundedInt, prob } from '../../schema-common.js';
import { covariates, type GeneratorKind } from './kind.js';

export interface SbmOptions {
  /** number of nodes in each block */
  sizes: number[];
  /** edge probability inside a block */
  pIn: number;
  /** edge probability between blocks */
  pOut: number;
}

/** Expected edge count of an SBM: sum C(s,2) pIn + sum_{a<b} s_a s_b pOut. */
export function sbmExpectedEdges(sizes: readonly number[], pIn: number, pOut: number): number {
  let n = 0;
  let within = 0;
  let sq = 0;
  for (const s of sizes) {
    n += s;
    within += (s * (s - 1)) / 2;
    sq += s * s;
  }
  return within * pIn + ((n * n - sq) / 2) * pOut;
}

export function sbm(opts: SbmOptions, rng: Rng, shared = false): SocialGraph {
  const { sizes } = opts;
  if (!Array.isArray(sizes) || sizes.length === 0 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new UserError(`sbm: sizes must be a non-empty array of integers >= 1, got ${JSON.stringify(sizes)}`, 'EPARAM');
  }
  const pIn = checkReal('sbm', 'pIn', opts.pIn, 0, 1);
  const pOut = checkReal('sbm', 'pOut', opts.pOut, 0, 1);
  const n = sizes.reduce((a, s) => a + s, 0);
  if (n > 2 ** 32 - 1) throw new UserError(`sbm: sizes must sum to at most ${2 ** 32 - 1} nodes, got ${n}`, 'EPARAM');
  const expected = sbmExpectedEdges(sizes, pIn, pOut);
  if (expected > 2 ** 29) {
    throw new UserError(`sbm: expected edge count ${Math.round(expected)} is too large (limit 2^29); lower pIn or pOut`, 'EPARAM');
  }
  // Pre-size from the expectation plus 6 SD so the buffer almost never regrows.
  const edges = new EdgeBuffer(Math.ceil(expected + 6 * Math.sqrt(expected) + 16));
  const blocks = alloc(Int32Array, n, shared);
  const skipIn = pIn > 0 ? geometricSkip(rng, pIn) : null;
  const skipOut = pOut > 0 ? geometricSkip(rng, pOut) : null;

  let o = 0;
  for (let b = 0; b < sizes.length; b++) {
    const s = sizes[b]!;
    blocks.fill(b, o, o + s);
    if (skipIn) {
      // pairs (v, w), w < v, visited in row order v = 1, 2, ...
      let v = 1;
      let w = -1;
      while (v < s) {
        w += 1 + skipIn();
        while (w >= v && v < s) {
          w -= v;
          v++;
        }
        if (v < s) edges.push(o + v, o + w);
      }
    }
    const rest = n - o - s; // nodes of all later blocks
    if (skipOut && rest > 0) {
      const total = s * rest;
      for (let k = skipOut(); k < total; k += 1 + skipOut()) {
        const i = Math.floor(k / rest);
        edges.push(o + i, o + s + (k - i * rest));
      }
    }
    o += s;
  }
  const { csr } = csrFromEdges(n, edges.src, edges.dst, edges.length, shared);
  return { csr, blocks };
}

const sbmSchema = z
  .strictObject({
    generator: z.literal('sbm'),
    covariates,
    sizes: z
      .array(boundedInt(1, LIMITS.nodes, 'node ids are 32-bit'))
      .min(1)
      .max(LIMITS.blocks)
      .optional(),
    blocks: boundedInt(1, LIMITS.blocks, 'blocks of an SBM').optional(),
    blockSize: boundedInt(1, LIMITS.nodes, 'node ids are 32-bit').optional(),
    pIn: prob,
    pOut: prob,
  })
  .refine((g) => g.sizes !== undefined || (g.blocks !== undefined && g.blockSize !== undefined), {
    message: 'give either "sizes" (a list of block sizes) or both "blocks" and "blockSize"',
  });

/** In a scenario: block sizes as "sizes", or "blocks" of "blockSize" users each. */
export const sbmKind: GeneratorKind<typeof sbmSchema> = {
  type: 'sbm',
  schema: sbmSchema,
  generate(g, rng, shared) {
    const sizes = g.sizes ?? Array.from({ length: g.blocks! }, () => g.blockSize!);
    return sbm({ sizes, pIn: g.pIn, pOut: g.pOut }, rng, shared);
  },
};
