// Graph generators: each takes its options, an Rng and an optional `shared`
// flag (SharedArrayBuffer storage), and returns CSR typed arrays directly.
import { sbm, type SbmOptions } from './sbm.js';
import { wattsStrogatz, type WattsStrogatzOptions } from './watts-strogatz.js';
import { torus, type TorusOptions } from './torus.js';
import { barabasiAlbert, type BarabasiAlbertOptions } from './barabasi-albert.js';

export { sbm, sbmExpectedEdges, type SbmOptions } from './sbm.js';
export { wattsStrogatz, type WattsStrogatzOptions } from './watts-strogatz.js';
export { torus, torusCoords, torusDistanceCdf, type TorusOptions } from './torus.js';
export { barabasiAlbert, type BarabasiAlbertOptions } from './barabasi-albert.js';
export { threadOverlay, sampleThreads, type ThreadOptions, type ThreadSample } from './threads.js';

/** Generators by the name a scenario uses. */
export const generators = {
  sbm,
  'watts-strogatz': wattsStrogatz,
  torus,
  'barabasi-albert': barabasiAlbert,
} as const;

export type GeneratorName = keyof typeof generators;

/** The options object each named generator takes. */
export interface GeneratorOptions {
  sbm: SbmOptions;
  'watts-strogatz': WattsStrogatzOptions;
  torus: TorusOptions;
  'barabasi-albert': BarabasiAlbertOptions;
}
