// GML (as written by networkx and the Facebook100 release) straight into CSR
// typed arrays, through a streaming tokenizer: one pass, linear time.
import { EdgeBuffer, csrFromEdges } from '../csr.js';
import { GmlLexer, readList, skipValue } from './_gml-lexer.js';
import { lineError, readText } from './_text.js';
import type { LoadedGraph } from './types.js';

export interface GmlOptions {
  /** file name for error messages (default "input"; loadGml uses the file's base name) */
  name?: string;
  /** put the CSR arrays in SharedArrayBuffers, for workers */
  shared?: boolean;
}

interface Build {
  ids: string[];
  index: Map<string, number>;
  attrs: Map<string, { node: number[]; value: number[] }>;
  edges: EdgeBuffer;
  /** edges naming a node not yet seen, resolved once all nodes are read */
  pending: { source: string; target: string; line: number }[];
  lines: number;
}

/**
 * Parse `graph [ node [ id N key V ... ] edge [ source A target B ] ]`.
 * Nodes are relabelled 0..n-1 in file order, ids[i] keeps the GML id.
 * Numeric node keys become `attributes[key]` (NaN where a node lacks the key;
 * values kept as written, so Facebook100's 0 = missing stays 0: see
 * missingToNaN). String-valued keys (e.g. `label`) and nested lists are
 * skipped, as are graph-level keys such as `directed`: edges are made
 * undirected, self-loops and duplicates dropped and counted.
 */
export function parseGml(text: string, opts: GmlOptions = {}): LoadedGraph {
  const name = opts.name ?? 'input';
  const lx = new GmlLexer(text, name);
  const b: Build = { ids: [], index: new Map(), attrs: new Map(), edges: new EdgeBuffer(), pending: [], lines: 0 };
  let found = false;
  while (lx.next() !== 'end') {
    if (lx.kind !== 'key') throw lx.error('a key');
    if (lx.value !== 'graph' || found) {
      skipValue(lx);
      continue;
    }
    const line = lx.line;
    if (lx.next() !== '[') throw lx.error('[ after graph');
    readGraph(lx, b, line);
    found = true;
  }
  if (!found) throw lineError(name, lx.line, 'expected a "graph [ ... ]" list, found none');
  for (const e of b.pending) {
    const u = b.index.get(e.source);
    const v = b.index.get(e.target);
    if (u === undefined || v === undefined) {
      const [key, id] = u === undefined ? ['source', e.source] : ['target', e.target];
      throw lineError(name, e.line, `expected edge ${key} to be a node id, got ${JSON.stringify(id)} (no such node)`);
    }
    b.edges.push(u, v);
  }
  const n = b.ids.length;
  const { csr, stats } = csrFromEdges(n, b.edges.src, b.edges.dst, b.edges.length, opts.shared);
  const attributes: Record<string, Float64Array> = {};
  for (const [key, { node, value }] of b.attrs) {
    const a = new Float64Array(n).fill(NaN);
    for (let k = 0; k < node.length; k++) a[node[k]!] = value[k]!;
    attributes[key] = a;
  }
  return { csr, attributes, ids: b.ids, index: b.index, stats: { lines: b.lines, ...stats } };
}

/** Read and parse a GML file; errors name the file's base name. */
export function loadGml(path: string, opts: GmlOptions = {}): LoadedGraph {
  const { text, name } = readText(path);
  return parseGml(text, { name, ...opts });
}

function readGraph(lx: GmlLexer, b: Build, open: number): void {
  for (;;) {
    const t = lx.next();
    if (t === ']') return;
    if (t === 'end') throw lineError(lx.name, lx.line, `expected ] closing the graph opened on line ${open}, got end of file`);
    if (t !== 'key') throw lx.error('a key or ]');
    const key = lx.value;
    if (key !== 'node' && key !== 'edge') {
      skipValue(lx);
      continue;
    }
    const line = lx.line;
    if (lx.next() !== '[') throw lx.error(`[ after ${key}`);
    if (key === 'node') readNode(lx, b, line);
    else readEdge(lx, b, line);
  }
}

function readNode(lx: GmlLexer, b: Build, line: number): void {
  let id: string | undefined;
  const keys: string[] = [];
  const values: number[] = [];
  readList(lx, line, 'node', (key, kind, value) => {
    if (key === 'id') {
      if (kind === '[') throw lx.error('a number or string for id');
      id = value;
    } else if (kind === 'num') {
      keys.push(key);
      values.push(Number(value));
    }
  });
  if (id === undefined) throw lineError(lx.name, line, 'expected an id in this node, got none');
  if (b.index.has(id)) throw lineError(lx.name, line, `expected a new node id, got ${JSON.stringify(id)} again`);
  const k = b.ids.length;
  b.ids.push(id);
  b.index.set(id, k);
  for (let j = 0; j < keys.length; j++) {
    let col = b.attrs.get(keys[j]!);
    if (col === undefined) b.attrs.set(keys[j]!, (col = { node: [], value: [] }));
    col.node.push(k);
    col.value.push(values[j]!);
  }
}

function readEdge(lx: GmlLexer, b: Build, line: number): void {
  let source: string | undefined;
  let target: string | undefined;
  readList(lx, line, 'edge', (key, kind, value) => {
    if (key !== 'source' && key !== 'target') return;
    if (kind === '[') throw lx.error(`a number or string for ${key}`);
    if (key === 'source') source = value;
    else target = value;
  });
  if (source === undefined || target === undefined) {
    throw lineError(lx.name, line, 'expected an edge with both source and target');
  }
  b.lines++;
  const u = b.index.get(source);
  const v = b.index.get(target);
  if (u !== undefined && v !== undefined) b.edges.push(u, v);
  else b.pending.push({ source, target, line });
}
