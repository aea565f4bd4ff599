// The contract of a graph generator kind: each generator's module exports one
// GeneratorKind (its scenario schema and how to build the graph from it); the
// registry in index.ts lists them once, and the scenario's `graph` union
// (graph/schema.ts) and buildGraph's dispatch both come from that list.
import { z } from 'zod';
import type { SocialGraph } from '../csr.js';
import type { Rng } from '../../random/streams.js';

/**
 * Whitespace table whose columns become node attributes, matched to nodes by
 * node id (never by the loader's internal numbering). Either a header row
 * names an `id` column: each row is the node with that id, every node needs
 * exactly one row, and with largestComponent the rows may cover the whole
 * file or just the kept nodes. Or there is no id column: one row per node of
 * the graph (for a file, before largestComponent), row k being the node with
 * the k-th smallest id, which needs integer node ids (generated graphs have
 * ids 0..n-1, so row k is node k). Every generator's schema takes it.
 */
export const covariates = z.string().min(1).optional();

/** A scenario entry's schema: a strict object whose `generator` is the kind's literal (and `covariates`). */
export type GeneratorEntrySchema = z.ZodType<{ generator: string; covariates?: string | undefined }> & z.core.$ZodTypeDiscriminable;

export interface GeneratorKind<S extends GeneratorEntrySchema = GeneratorEntrySchema> {
  /** the name a scenario's graph.generator uses (the literal in `schema`) */
  readonly type: z.output<S>['generator'];
  /** validates the scenario's `graph` entry and fills its defaults */
  readonly schema: S;
  /** the graph (CSR, with any attributes the generator provides) from the validated entry and the graph stream */
  generate(spec: z.output<S>, rng: Rng, shared: boolean): SocialGraph;
}
