// Registry of designs: one DesignKind per module (schema.ts), listed once
// here; the scenario union, default names and the factory come from this
// list. Adding a design is its module plus one entry in `designKinds`.
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { Design, DesignContext } from './design.js';
import type { DesignKind } from './schema.js';
import { userBernoulliKind, userCompleteKind } from './user.js';
import { threadKind } from './thread.js';
import { clusterKind } from './cluster.js';
import { mixtureKind, rgcrKind } from './rgcr.js';
import { saveskiKind } from './saveski.js';
import { blockKind } from './block.js';
import { egoClusterKind } from './ego.js';
import { saturationKind } from './saturation.js';
import { staggeredKind } from './staggered.js';

/** Every design kind, in the order validation errors list them. */
export const designKinds = [
  userBernoulliKind,
  userCompleteKind,
  threadKind,
  clusterKind,
  rgcrKind,
  mixtureKind,
  saveskiKind,
  egoClusterKind,
  blockKind,
  saturationKind,
  staggeredKind,
] as const;

type Schemas<K extends readonly DesignKind<any>[]> = { -readonly [I in keyof K]: K[I]['schema'] };

/** A scenario's design entry: one per kind, told apart by `type`. */
export const designSchema = z.discriminatedUnion('type', designKinds.map((k) => k.schema) as Schemas<typeof designKinds>);

/** A design as written in a scenario (defaults optional). */
export type DesignSpec = z.input<typeof designSchema>;

const byType = new Map<string, DesignKind<any>>(designKinds.map((k) => [k.type, k]));

function designKind(type: string): DesignKind<any> {
  const k = byType.get(type);
  if (!k) throw new UserError(`design type "${type}" is unknown; allowed: ${[...byType.keys()].join(', ')}`, 'ESCENARIO');
  return k;
}

export function designName(spec: DesignSpec): string {
  return spec.name ?? designKind(spec.type).defaultName(spec);
}

/** Index of the design a user names: by name, else the first of that scenario type; -1 when none. */
export function findDesign(specs: readonly DesignSpec[], want: string): number {
  const byName = specs.findIndex((d) => designName(d) === want);
  return byName >= 0 ? byName : specs.findIndex((d) => d.type === want);
}

export function createDesign(ctx: DesignContext, input: DesignSpec): Design {
  // fills defaults for callers that build specs in code; scenarios arrive validated
  const spec = designSchema.parse(input);
  const name = designName(spec);
  if (!(spec.p > 0 && spec.p < 1)) {
    throw new UserError(
      `design "${name}": p must be strictly between 0 and 1, got ${spec.p} (with p = 0 or 1 one arm is always empty)`,
      'EDESIGN',
    );
  }
  return designKind(spec.type).create(ctx, spec, name);
}

export type { Assignment, Design, DesignContext, Draw, Units, Scheme, RandomClustering, Structure } from './design.js';
export {
  assignment,
  doseOf,
  drawScheme,
  populationOf,
  randomClusteringOf,
  unitSizes,
  withinClusterShare,
  partitionUnits,
  identityUnits,
} from './design.js';
export { netClustering, oneHopMax, priorities } from './nets.js';
export { clusterLabels } from './cluster.js';
