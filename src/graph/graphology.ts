// Bridges between the CSR core and graphology, for the steps that need a
// graphology Graph (Louvain, file I/O). Building one is the slow part at scale.
import Graph from 'graphology';
import { csrFromEdges, EdgeBuffer, type CSR } from './csr.js';

/** An undirected graphology Graph with node keys "0".."n-1". */
export function toGraphology(g: CSR): Graph {
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (let i = 0; i < g.n; i++) graph.addNode(String(i));
  for (let i = 0; i < g.n; i++) {
    for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) {
      const j = g.nbrs[k]!;
      if (j > i) graph.addUndirectedEdge(String(i), String(j));
    }
  }
  return graph;
}

/** CSR from any graphology Graph; node order is graph.nodes() order. */
export function fromGraphology(graph: Graph): { csr: CSR; ids: string[] } {
  const ids = graph.nodes();
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const edges = new EdgeBuffer(graph.size);
  graph.forEachEdge((_e, _a, s, t) => edges.push(index.get(s)!, index.get(t)!));
  return { csr: csrFromEdges(ids.length, edges.src, edges.dst, edges.length).csr, ids };
}
