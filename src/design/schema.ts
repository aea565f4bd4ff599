// Scenario schema for designs: one entry per design type.
import { z } from 'zod';
import { openProb, posInt } from '../schema-common.js';

/**
 * ties: a node equally near several seeds joins the one first in a second,
 * independent random ordering of the seeds (Ugander & Yin's r_net, the
 * default) or the seed found first (their r_net_f variant)
 */
const net = z.strictObject({
  method: z.literal('net'),
  radius: z.number().int().min(2).default(3),
  ties: z.enum(['random-order', 'visit-order']).default('random-order'),
});
const oneHopMax = z.strictObject({ method: z.literal('one-hop-max') });
const clustering = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('louvain'), resolution: z.number().positive().default(1) }),
  z.strictObject({ method: z.literal('blocks') }),
  z.strictObject({ method: z.literal('attribute'), attribute: z.string().min(1) }),
  net,
  oneHopMax,
]);
const randomClustering = z.discriminatedUnion('method', [net, oneHopMax]);
const name = z.string().min(1).optional();
export const designSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('user-bernoulli'), name, p: openProb }),
  z.strictObject({ type: z.literal('user-complete'), name, p: openProb }),
  z.strictObject({ type: z.literal('thread'), name, p: openProb }),
  z.strictObject({
    type: z.literal('cluster'),
    name,
    p: openProb,
    clustering,
    /** independent coins, exactly round(p·C) treated, or pairs of similar size (p = 0.5) */
    assignment: z.enum(['bernoulli', 'complete', 'paired']).default('bernoulli'),
  }),
  z.strictObject({ type: z.literal('rgcr'), name, p: openProb, clustering: randomClustering }),
  z.strictObject({ type: z.literal('mixture'), name, p: openProb, clustering: randomClustering, k: posInt }),
  z.strictObject({ type: z.literal('saveski'), name, p: openProb, clustering, clusterArmShare: openProb.default(0.5) }),
]);
