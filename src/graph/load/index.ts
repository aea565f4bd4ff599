// One entry point for real networks: read, symmetrise, attach labels,
// optionally keep the largest component, and say what was dropped.
import { extname } from 'node:path';
import { UserError } from '../../errors.js';
import { edgeCount, type SocialGraph } from '../csr.js';
import { largestComponent } from './components.js';
import { loadEdgeList } from './edge-list.js';
import { loadGml } from './gml.js';
import { loadNodeLabels } from './labels.js';
import type { Mutable } from './types.js';

export interface GraphSpec {
  path: string;
  /** default: from the extension (.gml -> gml; .txt .tsv .edges .edgelist .el .dat -> edgelist) */
  format?: 'edgelist' | 'gml';
  /** edge lists only: the input is directed (edges are symmetrised either way; adds report.reciprocal) */
  directed?: boolean;
  /** keep only the largest connected component */
  largestComponent?: boolean;
  /** a "node label" file, stored as attributes[name] (NaN for unlabelled nodes) */
  labels?: { path: string; name: string };
  /** CSR arrays in SharedArrayBuffers, for workers */
  shared?: boolean;
}

export interface LoadReport {
  /** nodes and undirected edges of the returned graph */
  nodes: number;
  edges: number;
  /** records dropped while reading (see LoadStats) */
  selfLoops: number;
  duplicates: number;
  reciprocal?: number;
  /** nodes outside the largest component (0 unless largestComponent) */
  droppedByLcc: number;
}

const EDGE_LIST_EXT = new Set(['.txt', '.tsv', '.edges', '.edgelist', '.el', '.dat']);

/**
 * Load a real network as a SocialGraph: parse (edge list or GML), attach
 * a label file as attributes[name], then optionally keep the largest
 * component. The report counts what the returned graph holds and what was
 * dropped on the way.
 */
export function loadGraph(spec: GraphSpec): { graph: SocialGraph; report: LoadReport } {
  const format = spec.format ?? inferFormat(spec.path);
  const loaded =
    format === 'gml'
      ? loadGml(spec.path, { shared: spec.shared })
      : loadEdgeList(spec.path, { directed: spec.directed, shared: spec.shared });
  let graph: SocialGraph = loaded;
  if (spec.labels) {
    const { path, name } = spec.labels;
    if (loaded.attributes?.[name]) {
      throw new UserError(`labels ${path}: attribute "${name}" already exists in ${spec.path}; choose another name`, 'EPARAM');
    }
    const labels = loadNodeLabels(path, loaded);
    const col = Float64Array.from(labels, (l) => (l < 0 ? NaN : l));
    graph = { ...graph, attributes: { ...loaded.attributes, [name]: col } };
  }
  let droppedByLcc = 0;
  if (spec.largestComponent) {
    const { graph: lcc, kept } = largestComponent(graph, spec.shared);
    droppedByLcc = graph.csr.n - kept.length;
    graph = lcc;
  }
  const { selfLoops, duplicates, reciprocal } = loaded.stats;
  const report: LoadReport = { nodes: graph.csr.n, edges: edgeCount(graph.csr), selfLoops, duplicates, droppedByLcc };
  if (reciprocal !== undefined) report.reciprocal = reciprocal;
  return { graph: socialFields(graph), report };
}

function inferFormat(path: string): 'edgelist' | 'gml' {
  const ext = extname(path).toLowerCase();
  if (ext === '.gml') return 'gml';
  if (EDGE_LIST_EXT.has(ext)) return 'edgelist';
  throw new UserError(`${path}: cannot tell the format from the extension "${ext}"; set format to "edgelist" or "gml"`, 'EFILE');
}

/** Only the SocialGraph fields: a LoadedGraph's index and stats describe the graph before restriction. */
function socialFields(g: SocialGraph): SocialGraph {
  const out: Mutable<SocialGraph> = { csr: g.csr };
  if (g.threads) out.threads = g.threads;
  if (g.blocks) out.blocks = g.blocks;
  if (g.attributes) out.attributes = g.attributes;
  if (g.ids) out.ids = g.ids;
  return out;
}

export { parseEdgeList, loadEdgeList, type EdgeListOptions } from './edge-list.js';
export { parseGml, loadGml, type GmlOptions } from './gml.js';
export { parseNodeLabels, loadNodeLabels, parseCovariates, loadCovariates, type IdIndex, type LabelOptions } from './labels.js';
export { largestComponent, connectedComponents } from './components.js';
export { missingToNaN, missingShare } from './missing.js';
export type { LoadedGraph, LoadStats } from './types.js';
