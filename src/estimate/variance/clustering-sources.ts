// Clustering sources for htVarianceOverClusterings (clusterings.ts): the k
// fixed clusterings of a mixture (or the first K of them), or fresh draws of
// an RGCR clusterer.
import type { RandomClustering } from '../../design/index.js';
import { stream } from '../../random/streams.js';
import * as names from '../../random/names.js';
import type { ClusteringSource } from './clusterings.js';

type Clustering = { labels: Int32Array; count: number };

export function fixedSource(fixed: readonly Clustering[], count = fixed.length): ClusteringSource {
  if (!(count >= 1 && count <= fixed.length)) throw new RangeError(`fixedSource: ${count} of ${fixed.length} clusterings`);
  return { count, exact: true, clustering: (m) => fixed[m]! };
}

/** Clustering m is a fresh draw from the stream (seed, 'variance', design, m). */
export function drawnSource(rc: RandomClustering, n: number, seed: number | string, design: string, count: number): ClusteringSource {
  return {
    count,
    exact: false,
    clustering(m) {
      const labels = new Int32Array(n);
      const c = rc.draw(stream(seed, ...names.varianceClustering(design, m)), labels);
      return { labels, count: c };
    },
  };
}
