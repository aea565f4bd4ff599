// Per-node side files: "node label" lists (SNAP ground truth) and covariate
// tables, both mapped onto an already loaded graph's nodes.
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

/**
 * Parse a whitespace-separated table with one row per node, in node order,
 * into columns. A first row holding any non-numeric token is a header of
 * column names; otherwise columns are named x1, x2, ... "NA" and "NaN" read
 * as missing (NaN).
 */
export function parseCovariates(text: string, n: number, opts: { name?: string } = {}): Record<string, Float64Array> {
  const name = opts.name ?? 'input';
  let names: string[] | undefined;
  let cols: Float64Array[] = [];
  let rows = 0;
  let last = 0;
  scanRows(text, (tokens, line, start, end) => {
    last = line;
    if (names === undefined) {
      const header = tokens.some((t) => toNumber(t) === undefined);
      names = header ? tokens.slice() : tokens.map((_, j) => `x${j + 1}`);
      if (new Set(names).size !== names.length) throw lineError(name, line, 'expected distinct column names in the header');
      cols = names.map(() => new Float64Array(n));
      if (header) return;
    }
    if (tokens.length !== names.length) {
      throw lineError(name, line, `expected ${names.length} values, one per column, got ${quoteLine(text, start, end)}`);
    }
    if (rows === n) throw lineError(name, line, `expected ${n} data rows (one per node, in node order), got more`);
    for (let j = 0; j < tokens.length; j++) {
      const v = toNumber(tokens[j]!);
      if (v === undefined) throw lineError(name, line, `expected a number in column ${names[j]}, got ${JSON.stringify(tokens[j])}`);
      cols[j]![rows] = v;
    }
    rows++;
  });
  if (rows !== n) {
    throw new UserError(`${name}: expected ${n} data rows (one per node, in node order), got ${rows} (file ends at line ${last})`, 'EFILE');
  }
  const out: Record<string, Float64Array> = {};
  (names ?? []).forEach((c, j) => (out[c] = cols[j]!));
  return out;
}

/** Read a covariate table for a graph of `n` nodes. */
export function loadCovariates(path: string, n: number): Record<string, Float64Array> {
  const { text, name } = readText(path);
  return parseCovariates(text, n, { name });
}

function toIndex(ids: IdIndex): ReadonlyMap<string, number> {
  if (!Array.isArray(ids)) return ids as ReadonlyMap<string, number>;
  const m = new Map<string, number>();
  ids.forEach((id, i) => m.set(id, i));
  return m;
}
