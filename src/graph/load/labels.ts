// Per-node side files: "node label" lists (SNAP ground truth) and covariate
// tables, both matched to a graph's nodes by node id, never by the loaders'
// internal numbering (first appearance).
import { UserError } from '../../errors.js';
import { lineError, quoteLine, readText, scanRows, toNumber } from './_text.js';

/** How to find node indices: the graph's id list or its id -> index map. */
export type IdIndex = readonly string[] | ReadonlyMap<string, number>;

export interface LabelOptions {
  /** file name for error messages (default "input") */
  name?: string;
  /** a node id absent from the graph is an error (default) or ignored, e.g. after largestComponent */
  unknown?: 'error' | 'ignore';
}

/**
 * Parse "node label" lines (comments and blank lines allowed) into one label
 * per graph node, -1 where the file names none. Labels are non-negative
 * integers, as in SNAP's community and department files.
 */
export function parseNodeLabels(text: string, ids: IdIndex, opts: LabelOptions = {}): Int32Array {
  const name = opts.name ?? 'input';
  const index = toIndex(ids);
  const out = new Int32Array(index.size).fill(-1);
  scanRows(text, (tokens, line, start, end) => {
    if (tokens.length !== 2) {
      throw lineError(name, line, `expected a node id and a label separated by whitespace, got ${quoteLine(text, start, end)}`);
    }
    const [id, raw] = tokens as [string, string];
    const k = index.get(id);
    if (k === undefined) {
      if (opts.unknown === 'ignore') return;
      throw lineError(name, line, `expected a node id of the graph, got ${JSON.stringify(id)} (not in the graph)`);
    }
    const label = /^\d{1,9}$/.test(raw) ? Number(raw) : -1;
    if (label < 0) throw lineError(name, line, `expected a non-negative integer label, got ${JSON.stringify(raw)}`);
    if (out[k] !== -1 && out[k] !== label) {
      throw lineError(name, line, `expected one label per node, got ${label} for node ${JSON.stringify(id)} already labelled ${out[k]}`);
    }
    out[k] = label;
  });
  return out;
}

/** Read a "node label" file for `graph` (which must carry ids, as loaded graphs do). */
export function loadNodeLabels(
  path: string,
  graph: { ids?: readonly string[]; index?: ReadonlyMap<string, number> },
  opts: LabelOptions = {},
): Int32Array {
  const ids = graph.index ?? graph.ids;
  if (ids === undefined) throw new UserError(`labels ${path}: the graph has no node ids to match against`, 'EPARAM');
  const { text, name } = readText(path);
  return parseNodeLabels(text, ids, { name, ...opts });
}

export interface CovariateOptions {
  /** file name for error messages (default "input") */
  name?: string;
  /**
   * Indices of the nodes to return, increasing (largestComponent's `kept`):
   * the table is matched against every node, then restricted to these.
   * With an id column, only these nodes need a row.
   */
  keep?: ArrayLike<number>;
}

/**
 * Parse a whitespace-separated covariate table into columns, one value per
 * node, matched by node id; `nodes` is the graph's id list (loaded graphs)
 * or its node count (generated graphs, whose ids are 0..n-1).
 *
 * A first row holding any non-numeric token is a header of column names;
 * otherwise columns are named x1, x2, ... "NA" and "NaN" read as missing
 * (NaN). If the header names a column `id` (any case), each row belongs to
 * the node with that id: ids must be nodes of the graph, at most one row
 * each, and every node (every kept node, with `keep`) needs one. Without an
 * id column there is one row per node and row k belongs to the node with the
 * k-th smallest id, which needs every node id to be an integer. The
 * graph's internal node numbering never matters.
 */
export function parseCovariates(
  text: string,
  nodes: number | readonly string[],
  opts: CovariateOptions = {},
): Record<string, Float64Array> {
  const name = opts.name ?? 'input';
  const n = typeof nodes === 'number' ? nodes : nodes.length;
  const idOf = (k: number) => (typeof nodes === 'number' ? String(k) : nodes[k]!);
  let names: string[] | undefined;
  let idCol = -1;
  let cols: Float64Array[] = [];
  let index: ReadonlyMap<string, number> | undefined; // id column: id -> node
  let lineOf: Int32Array | undefined; // id column: line of each node's row, 0 = none yet
  let order: Uint32Array | undefined; // no id column: node of each row
  let rows = 0;
  let extra = 0; // no id column: line of the first row past n
  let last = 0;
  scanRows(text, (tokens, line, start, end) => {
    last = line;
    if (names === undefined) {
      const header = tokens.some((t) => toNumber(t) === undefined);
      const all = header ? tokens.slice() : tokens.map((_, j) => `x${j + 1}`);
      if (new Set(all).size !== all.length) throw lineError(name, line, 'expected distinct column names in the header');
      const idCols = all.flatMap((c, j) => (c.toLowerCase() === 'id' ? [j] : []));
      if (idCols.length > 1)
        throw lineError(name, line, `expected at most one id column, got ${idCols.map((j) => JSON.stringify(all[j])).join(' and ')}`);
      idCol = idCols[0] ?? -1;
      names = all.filter((_, j) => j !== idCol);
      if (idCol >= 0) {
        index = typeof nodes === 'number' ? undefined : toIndex(nodes);
        lineOf = new Int32Array(n);
      } else {
        const o = integerIdOrder(nodes);
        if (typeof o === 'string')
          throw new UserError(
            `${name}: no id column, so rows go to nodes in order of node id, but ${o}; add an id column (a header row naming a column "id")`,
            'EFILE',
          );
        order = o;
      }
      cols = names.map(() => new Float64Array(n));
      if (header) return;
    }
    const width = names.length + (idCol >= 0 ? 1 : 0);
    if (tokens.length !== width) {
      throw lineError(name, line, `expected ${width} values, one per column, got ${quoteLine(text, start, end)}`);
    }
    let k: number;
    if (idCol >= 0) {
      const id = tokens[idCol]!;
      const found = index ? index.get(id) : /^(0|[1-9]\d{0,15})$/.test(id) && Number(id) < n ? Number(id) : undefined;
      if (found === undefined)
        throw lineError(name, line, `expected a node id of the graph in the id column, got ${JSON.stringify(id)} (not in the graph)`);
      if (lineOf![found] !== 0)
        throw lineError(
          name,
          line,
          `expected one row per node, got a second row for node ${JSON.stringify(id)} (the first is line ${lineOf![found]})`,
        );
      lineOf![found] = line;
      k = found;
    } else {
      if (rows >= n) {
        if (extra === 0) extra = line;
        rows++;
        return;
      }
      k = order![rows]!;
    }
    for (let j = 0, c = 0; j < tokens.length; j++) {
      if (j === idCol) continue;
      const v = toNumber(tokens[j]!);
      if (v === undefined) throw lineError(name, line, `expected a number in column ${names[c]}, got ${JSON.stringify(tokens[j])}`);
      cols[c++]![k] = v;
    }
    rows++;
  });
  const keep = opts.keep;
  if (lineOf) {
    const missing: string[] = [];
    const m = keep ? keep.length : n;
    for (let j = 0; j < m; j++) {
      const k = keep ? keep[j]! : j;
      if (lineOf[k] === 0) missing.push(idOf(k));
    }
    if (missing.length > 0) {
      const first = missing.reduce((a, b) => (compareIds(b, a) < 0 ? b : a));
      const of = keep && keep.length < n ? `of the ${m} nodes kept by largestComponent` : `of the ${n} nodes`;
      throw new UserError(
        `${name}: expected a row for every node, but ${missing.length} ${of} have none; the first (smallest id) is ${JSON.stringify(first)}`,
        'EFILE',
      );
    }
  } else if (rows !== n) {
    const where = rows > n ? ` line ${extra}` : '';
    const lcc =
      keep && rows === keep.length && keep.length < n
        ? `; that is one row per node kept by largestComponent, but without an id column the rows must cover all ${n} nodes of the graph file, or add an id column`
        : '';
    throw new UserError(
      `${name}${where}: expected ${n} data rows (one per node, in node order), got ${rows}${rows < n ? ` (file ends at line ${last})` : ''}; row k belongs to the node with the k-th smallest id${lcc}`,
      'EFILE',
    );
  }
  const out: Record<string, Float64Array> = {};
  (names ?? []).forEach((c, j) => (out[c] = keep ? Float64Array.from(keep, (k) => cols[j]![k]!) : cols[j]!));
  return out;
}

/** Read a covariate table for a graph with these node ids (or this many nodes, ids 0..n-1). */
export function loadCovariates(
  path: string,
  nodes: number | readonly string[],
  opts: Omit<CovariateOptions, 'name'> = {},
): Record<string, Float64Array> {
  const { text, name } = readText(path);
  return parseCovariates(text, nodes, { name, ...opts });
}

const INTEGER = /^[+-]?\d+$/;

/**
 * Node indices in increasing order of id, when the ids are distinct
 * integers; otherwise what is wrong with them.
 */
function integerIdOrder(nodes: number | readonly string[]): Uint32Array | string {
  if (typeof nodes === 'number') return Uint32Array.from({ length: nodes }, (_, k) => k);
  const n = nodes.length;
  let safe = true;
  for (let k = 0; k < n; k++) {
    const id = nodes[k]!;
    if (!INTEGER.test(id)) return `node ids are not all integers (e.g. ${JSON.stringify(id)})`;
    if (id.length > 15) safe = false;
  }
  const order = Uint32Array.from({ length: n }, (_, k) => k);
  let cmp: (a: number, b: number) => number;
  if (safe) {
    const v = Float64Array.from(nodes, Number);
    cmp = (a, b) => v[a]! - v[b]!;
  } else {
    const v = nodes.map((id) => BigInt(id));
    cmp = (a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : 0);
  }
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) if (cmp(k - 1, k) >= 0) sorted = false;
  if (!sorted) order.sort(cmp);
  for (let r = 1; r < n; r++) {
    if (cmp(order[r - 1]!, order[r]!) === 0)
      return `node ids ${JSON.stringify(nodes[order[r - 1]!])} and ${JSON.stringify(nodes[order[r]!])} are the same integer`;
  }
  return order;
}

/** Integer ids by value, then other ids as strings after them. */
function compareIds(a: string, b: string): number {
  const ia = INTEGER.test(a);
  const ib = INTEGER.test(b);
  if (ia && ib) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ia !== ib) return ia ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function toIndex(ids: IdIndex): ReadonlyMap<string, number> {
  if (!Array.isArray(ids)) return ids as ReadonlyMap<string, number>;
  const m = new Map<string, number>();
  ids.forEach((id, i) => m.set(id, i));
  return m;
}
