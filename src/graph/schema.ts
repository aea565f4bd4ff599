// Scenario schema for the graph and its threads: generators and files.
import { z } from 'zod';
import { posInt, prob } from '../schema-common.js';

/**
 * Whitespace table whose columns become node attributes, matched to nodes by
 * node id (never by the loader's internal numbering). Either a header row
 * names an `id` column: each row is the node with that id, every node needs
 * exactly one row, and with largestComponent the rows may cover the whole
 * file or just the kept nodes. Or there is no id column: one row per node of
 * the graph (for a file, before largestComponent), row k being the node with
 * the k-th smallest id, which needs integer node ids (generated graphs have
 * ids 0..n-1, so row k is node k).
 */
const covariates = z.string().min(1).optional();

const sbm = z
  .strictObject({
    generator: z.literal('sbm'),
    covariates,
    sizes: z.array(posInt).min(1).optional(),
    blocks: posInt.optional(),
    blockSize: posInt.optional(),
    pIn: prob,
    pOut: prob,
  })
  .refine((g) => g.sizes !== undefined || (g.blocks !== undefined && g.blockSize !== undefined), {
    message: 'give either "sizes" (a list of block sizes) or both "blocks" and "blockSize"',
  });
const wattsStrogatz = z.strictObject({ generator: z.literal('watts-strogatz'), covariates, n: posInt, k: posInt, beta: prob });
const torus = z.strictObject({
  generator: z.literal('torus'),
  covariates,
  side: z.number().int().min(3),
  radius: posInt.default(1),
  longRangeMean: z.number().min(0).default(1),
  exponent: z.number().min(0).default(2),
  tail: z.number().gt(1).default(2.5),
});
const barabasiAlbert = z.strictObject({ generator: z.literal('barabasi-albert'), covariates, n: posInt, m: posInt });
/** A real network read from a file instead of generated (see data/README.md). */
const file = z.strictObject({
  generator: z.literal('file'),
  file: z.string().min(1),
  format: z.enum(['edgelist', 'gml']).optional(),
  directed: z.boolean().default(false),
  largestComponent: z.boolean().default(false),
  /** a "node label" file (e.g. departments), stored as attribute `name` */
  labels: z.strictObject({ path: z.string().min(1), name: z.string().min(1) }).optional(),
  covariates,
  /** attributes where 0 codes a missing value (Facebook100), turned into NaN */
  missingZero: z.array(z.string().min(1)).default([]),
});
// A graph with "file" and no "generator" is a file graph: say so before the
// discriminated union, whose errors then still name graph.generator.
const isFileGraph = (v: unknown) => typeof v === 'object' && v !== null && 'file' in v && !('generator' in v);
export const graphSchema = z.preprocess(
  (v) => (isFileGraph(v) ? { generator: 'file', ...(v as object) } : v),
  z.discriminatedUnion('generator', [sbm, wattsStrogatz, torus, barabasiAlbert, file]),
);

const size = z.tuple([z.number().int().min(3), z.number().int().min(3)]).refine(([a, b]) => a <= b, 'range must be [min, max] with min <= max');
export const threadsSchema = z.strictObject({
  meanThreadsPerUser: z.number().positive(),
  smallSizes: size.default([3, 8]),
  largeSizes: size.default([20, 50]),
  largeShare: prob.default(0.05),
});

export type GraphSpec = z.infer<typeof graphSchema>;
export type FileGraphSpec = z.infer<typeof file>;
