// The model's first half: the social graph (generated or loaded) with its
// group threads and node covariates, from the scenario's named streams.
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';
import type { SocialGraph } from '../graph/csr.js';
import { generateGraph, threadOverlay } from '../graph/generators/index.js';
import { largestComponent, loadCovariates, loadGraph, missingToNaN } from '../graph/load/index.js';
import type { FileGraphSpec } from '../graph/schema.js';
import { UserError } from '../errors.js';
import type { Scenario } from './scenario.js';
import { dataFile } from './data-path.js';

export function buildGraph(s: Scenario, shared = false): SocialGraph {
  const g = s.graph;
  let graph: SocialGraph;
  if ('file' in g) graph = fromFile(g, shared);
  else {
    graph = generate(s, shared);
    // generated graphs have ids 0..n-1: row k of the table is node k
    if (g.covariates) graph = withAttributes(graph, loadCovariates(dataFile('graph.covariates', g.covariates).path, graph.csr.n));
  }
  if (s.threads) {
    const threads = threadOverlay(graph.csr, s.threads, stream(s.seed, ...names.threads()), shared);
    graph = { ...graph, threads };
  }
  return graph;
}

function generate(s: Scenario, shared: boolean): SocialGraph {
  const rng = stream(s.seed, ...names.graph());
  const g = s.graph;
  if ('file' in g) throw new Error('unreachable');
  // each generator's kind (graph/generators) builds its graph from the entry
  return generateGraph(g, rng, shared);
}

/**
 * A graph file with its side files. Covariates are matched to the file's
 * nodes by id before largestComponent, then restricted with the graph, so a
 * table written for the whole file works either way.
 */
function fromFile(g: FileGraphSpec, shared: boolean): SocialGraph {
  const { graph: whole } = loadGraph({
    path: dataFile('graph.file', g.file).path,
    format: g.format,
    directed: g.directed,
    labels: g.labels ? { path: dataFile('graph.labels.path', g.labels.path).path, name: g.labels.name } : undefined,
    shared,
  });
  let graph = whole;
  let kept: Uint32Array | undefined;
  if (g.largestComponent) ({ graph, kept } = largestComponent(whole, shared));
  if (g.missingZero.length > 0) {
    const attributes = { ...graph.attributes };
    for (const name of g.missingZero) {
      const col = attributes[name];
      if (!col)
        throw new UserError(
          `graph.missingZero: the graph has no attribute "${name}"; it has ${Object.keys(attributes).join(', ') || 'none'}`,
          'ESCENARIO',
        );
      attributes[name] = missingToNaN(col);
    }
    graph = { ...graph, attributes };
  }
  if (g.covariates) {
    // loaded graphs always carry their ids
    const keep = kept && kept.length < whole.csr.n ? { keep: kept } : {};
    graph = withAttributes(graph, loadCovariates(dataFile('graph.covariates', g.covariates).path, whole.ids ?? whole.csr.n, keep));
  }
  return graph;
}

function withAttributes(graph: SocialGraph, cols: Record<string, Float64Array>): SocialGraph {
  return { ...graph, attributes: { ...graph.attributes, ...cols } };
}
