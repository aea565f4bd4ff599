// Reading a design's structure in tests.
import type { Design, RandomClustering, Scheme } from '../../src/design/index.js';

/** The scheme of a design with fixed units (throws otherwise: the test chose the wrong design). */
export function schemeOf(d: Design): Scheme {
  if (d.structure.kind !== 'fixed') throw new Error(`design ${d.name} has no fixed units (${d.structure.kind})`);
  return d.structure.scheme;
}

/** The random clustering of an RGCR or mixture design (throws otherwise). */
export function clusteringOf(d: Design): RandomClustering {
  if (d.structure.kind !== 'random-clustering') throw new Error(`design ${d.name} has no random clustering (${d.structure.kind})`);
  return d.structure.clustering;
}
