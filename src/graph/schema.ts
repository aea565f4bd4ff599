// Scenario schema for the graph and its threads: generators (each kind's
// schema, from the registry in generators/index.ts) and files.
import { z } from 'zod';
import { LIMITS, boundedInt, label, prob } from '../schema-common.js';
import { covariates, generatorKinds } from './generators/index.js';

/** A real network read from a file instead of generated (see data/README.md). */
const file = z.strictObject({
  generator: z.literal('file'),
  file: z.string().min(1),
  format: z.enum(['edgelist', 'gml']).optional(),
  directed: z.boolean().default(false),
  largestComponent: z.boolean().default(false),
  /** a "node label" file (e.g. departments), stored as attribute `name` */
  labels: z.strictObject({ path: z.string().min(1), name: label.min(1) }).optional(),
  covariates,
  /** attributes where 0 codes a missing value (Facebook100), turned into NaN */
  missingZero: z.array(z.string().min(1)).default([]),
});

type Schemas<K extends readonly { schema: unknown }[]> = { -readonly [I in keyof K]: K[I]['schema'] };

// The generators' entries come from their registry (generators/index.ts), then files.
// A graph with "file" and no "generator" is a file graph: say so before the
// discriminated union, whose errors then still name graph.generator.
const isFileGraph = (v: unknown) => typeof v === 'object' && v !== null && 'file' in v && !('generator' in v);
export const graphSchema = z.preprocess(
  (v) => (isFileGraph(v) ? { generator: 'file', ...(v as object) } : v),
  z.discriminatedUnion('generator', [...(generatorKinds.map((k) => k.schema) as Schemas<typeof generatorKinds>), file]),
);

const size = z
  .tuple([boundedInt(3, LIMITS.threadSize, 'members of a thread'), boundedInt(3, LIMITS.threadSize, 'members of a thread')])
  .refine(([a, b]) => a <= b, 'range must be [min, max] with min <= max');
export const threadsSchema = z.strictObject({
  meanThreadsPerUser: z
    .number()
    .positive()
    .max(LIMITS.meanThreadsPerUser, `must be at most ${LIMITS.meanThreadsPerUser} (threads per user, each a list of members)`),
  smallSizes: size.default([3, 8]),
  largeSizes: size.default([20, 50]),
  largeShare: prob.default(0.05),
});

export type GraphSpec = z.infer<typeof graphSchema>;
export type FileGraphSpec = z.infer<typeof file>;
