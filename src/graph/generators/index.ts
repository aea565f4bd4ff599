// Graph generators: each takes its options, an Rng and an optional `shared`
// flag (SharedArrayBuffer storage), and returns CSR typed arrays directly.
// Each module also exports its GeneratorKind (kind.ts), listed once here: the
// scenario's `graph` union (graph/schema.ts) and buildGraph's dispatch
// (generateGraph) come from this list, so adding a generator is its module
// plus one entry in `generatorKinds`.
import type { z } from 'zod';
import type { SocialGraph } from '../csr.js';
import type { Rng } from '../../random/streams.js';
import type { GeneratorKind } from './kind.js';
import { sbmKind } from './sbm.js';
import { wattsStrogatzKind } from './watts-strogatz.js';
import { torusKind } from './torus.js';
import { barabasiAlbertKind } from './barabasi-albert.js';

export { sbm, sbmExpectedEdges, sbmKind, type SbmOptions } from './sbm.js';
export { wattsStrogatz, wattsStrogatzKind, type WattsStrogatzOptions } from './watts-strogatz.js';
export { torus, torusCoords, torusDistanceCdf, torusKind, type TorusOptions } from './torus.js';
export { barabasiAlbert, barabasiAlbertKind, type BarabasiAlbertOptions } from './barabasi-albert.js';
export { threadOverlay, sampleThreads, type ThreadOptions, type ThreadSample } from './threads.js';
export { covariates, type GeneratorKind } from './kind.js';

/** Every generator kind, in the order validation errors list them (before "file"). */
export const generatorKinds = [sbmKind, wattsStrogatzKind, torusKind, barabasiAlbertKind] as const;

/** A validated scenario entry of a generated graph. */
export type GeneratedGraphSpec = z.output<(typeof generatorKinds)[number]['schema']>;
export type GeneratorName = GeneratedGraphSpec['generator'];

const byName = new Map<string, GeneratorKind<any>>(generatorKinds.map((k) => [k.type, k]));

/** The graph a validated generator entry describes, drawn from `rng` (the scenario's graph stream). */
export function generateGraph(spec: GeneratedGraphSpec, rng: Rng, shared = false): SocialGraph {
  const kind = byName.get(spec.generator);
  if (!kind) throw new Error(`no generator "${spec.generator}" in the registry`); // the scenario schema rules this out
  return kind.generate(spec, rng, shared);
}
