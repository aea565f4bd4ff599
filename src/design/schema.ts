// Scenario schema pieces shared by designs (clusterings), and the contract
// of a design kind. Each design's module exports one DesignKind (its
// scenario schema, default name and factory); the registry in index.ts lists
// them once, and the scenario's `designs` union and createDesign are both
// built from that list.
import { z } from 'zod';
import { label } from '../schema-common.js';
import type { Design, DesignContext } from './design.js';

/**
 * ties: a node equally near several seeds joins the one first in a second,
 * independent random ordering of the seeds (Ugander & Yin's r_net, the
 * default) or the seed found first (their r_net_f variant)
 */
export const net = z.strictObject({
  method: z.literal('net'),
  radius: z.number().int().min(2).default(3),
  ties: z.enum(['random-order', 'visit-order']).default('random-order'),
});
export const oneHopMax = z.strictObject({ method: z.literal('one-hop-max') });
export const clustering = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('louvain'), resolution: z.number().positive().default(1) }),
  z.strictObject({ method: z.literal('blocks') }),
  z.strictObject({ method: z.literal('attribute'), attribute: z.string().min(1) }),
  net,
  oneHopMax,
]);
export const randomClustering = z.discriminatedUnion('method', [net, oneHopMax]);
/** every design entry may name itself (unique within a scenario) */
export const name = label.min(1).optional();

/** A scenario entry's schema: a strict object whose `type` is the kind's literal. */
export type DesignEntrySchema = z.ZodType<{ type: string; name?: string | undefined; p: number }> & z.core.$ZodTypeDiscriminable;

export interface DesignKind<S extends DesignEntrySchema = DesignEntrySchema> {
  /** the name a scenario's design type uses (the literal in `schema`) */
  readonly type: z.output<S>['type'];
  /** validates the scenario entry and fills its defaults */
  readonly schema: S;
  /** the design's name when the entry gives none */
  defaultName(spec: z.input<S>): string;
  /** the design for one graph, from its validated entry and resolved name */
  create(ctx: DesignContext, spec: z.output<S>, name: string): Design;
}
