// Newman–Girvan modularity of a partition, with a resolution parameter:
// the share of edges inside communities minus its expectation under the
// configuration model. Used to check Louvain against its reference.
import type { CSR } from '../graph/csr.js';

/** Modularity of a partition of an unweighted CSR graph (labels 0..count-1). */
export function modularity(g: CSR, labels: Int32Array, resolution = 1): number {
  let count = 0;
  for (let i = 0; i < g.n; i++) count = Math.max(count, labels[i]! + 1);
  const inside = new Float64Array(count);
  const tot = new Float64Array(count);
  const m2 = g.offsets[g.n]!;
  if (m2 === 0) return 0;
  for (let i = 0; i < g.n; i++) {
    const c = labels[i]!;
    tot[c]! += g.offsets[i + 1]! - g.offsets[i]!;
    for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) if (labels[g.nbrs[e]!] === c) inside[c]!++;
  }
  let q = 0;
  for (let c = 0; c < count; c++) q += inside[c]! / m2 - resolution * (tot[c]! / m2) ** 2;
  return q;
}
