// SNAP-style edge lists ("u v" per line) straight into CSR typed arrays.
import { EdgeBuffer, csrFromEdges } from '../csr.js';
import { basename } from 'node:path';
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../../errors.js';
import { checkInputFile, ioReason } from '../../input-file.js';
import { eolLength, lineError, quoteLine, toNumber } from './_text.js';
import type { LoadedGraph } from './types.js';

export interface EdgeListOptions {
  /** file name for error messages (default "input"; loadEdgeList uses the file's base name) */
  name?: string;
  /** the input is directed: also report how many duplicates were reciprocal pairs */
  directed?: boolean;
  /** put the CSR arrays in SharedArrayBuffers, for workers */
  shared?: boolean;
}

/**
 * Parse an edge list: one edge "u v" per line, ids any non-blank tokens
 * separated by spaces or tabs, relabelled 0..n-1 in order of first
 * appearance. A third numeric column (weight or timestamp, as in some SNAP
 * files) is accepted and ignored; any other shape is an error. Ids are not
 * checked to be numeric ("12 x" is an edge to node "x"). Lines whose first
 * non-blank character is `#` or `%` are comments; `\n`, `\r\n`, `\r` and
 * `\r\r\n` each end one line. Edges are made undirected;
 * self-loops and duplicates are dropped and counted in `stats`. Nodes seen
 * only in self-loops stay, isolated.
 */
export function parseEdgeList(text: string, opts: EdgeListOptions = {}): LoadedGraph {
  const p = new EdgeListParser(opts.name ?? 'input', text.length);
  p.feed(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return p.finish(opts);
}

/** Chunks of this many bytes are parsed at a time: a file of any size is read without one string of it all. */
const CHUNK = 16 << 20;

/**
 * Read and parse an edge-list file in chunks (cut after the last line end of
 * each, so no line is split), after checking it is a regular file within the
 * graph file limit; errors name the file's base name and the line.
 */
export function loadEdgeList(path: string, opts: EdgeListOptions = {}): LoadedGraph {
  const bytes = checkInputFile(path, 'graph');
  const p = new EdgeListParser(opts.name ?? basename(path), bytes);
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.allocUnsafe(CHUNK);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${ioReason(e)}`, 'EFILE');
  }
  try {
    let carry = '';
    let first = true;
    for (let n; (n = readSync(fd, buf, 0, CHUNK, null)) > 0;) {
      let text = carry + decoder.write(buf.subarray(0, n));
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      // every line end ends in \n but a lone \r: files with those only are parsed at the end, whole
      const cut = text.lastIndexOf('\n') + 1;
      carry = text.slice(cut);
      if (cut > 0) p.feed(text.slice(0, cut));
    }
    const rest = carry + decoder.end();
    if (rest) p.feed(rest);
  } finally {
    closeSync(fd);
  }
  return p.finish(opts);
}

/** The parser's state across chunks: ids, edges and the line count. */
class EdgeListParser {
  private readonly ids: IdTable;
  private readonly edges: EdgeBuffer;
  private line = 0;
  private readonly ts = [0, 0, 0];
  private readonly te = [0, 0, 0];

  constructor(
    private readonly name: string,
    sizeHint: number,
  ) {
    this.ids = new IdTable(sizeHint);
    this.edges = new EdgeBuffer(Math.min(sizeHint, 1 << 30) >> 3); // ~8 bytes per SNAP line
  }

  /** Parse whole lines (the last may lack its end only at the end of the input). */
  feed(text: string): void {
    const { ts, te, ids, edges } = this;
    ids.text = text;
    const len = text.length;
    let i = 0;
    // scanRows inlined, no string per token: 3x faster on 2M edges (4.2 s -> 1.5 s)
    while (i < len) {
      this.line++;
      const start = i;
      let nt = 0;
      let c = 0;
      for (;;) {
        while (i < len && ((c = text.charCodeAt(i)) === 32 || c === 9 || c === 11 || c === 12)) i++;
        if (i >= len || c === 10 || c === 13) break;
        if (nt === 0 && (c === 35 || c === 37)) nt = -1; // comment: skip the rest
        const s = i;
        while (i < len && (c = text.charCodeAt(i)) !== 10 && c !== 13 && (nt < 0 || (c !== 32 && c !== 9 && c !== 11 && c !== 12))) i++;
        if (nt < 0) break;
        if (nt < 3) {
          ts[nt] = s;
          te[nt] = i;
        }
        nt++;
      }
      const end = i;
      i += eolLength(text, i);
      if (nt <= 0) continue;
      if (nt !== 2 && (nt !== 3 || toNumber(text.slice(ts[2], te[2])) === undefined)) {
        const want = 'expected two node ids separated by whitespace (and optionally a numeric weight)';
        throw lineError(this.name, this.line, `${want}, got ${quoteLine(text, start, end)}`);
      }
      const u = ids.get(ts[0]!, te[0]!);
      edges.push(u, ids.get(ts[1]!, te[1]!));
    }
  }

  finish(opts: EdgeListOptions): LoadedGraph {
    const { ids, edges } = this;
    const n = ids.ids.length;
    const { csr, stats } = csrFromEdges(n, edges.src, edges.dst, edges.length, opts.shared);
    const lines = edges.length;
    const out: LoadedGraph = { csr, ids: ids.ids, index: ids.index, stats: { lines, ...stats } };
    if (opts.directed) {
      const repeats = lines - stats.selfLoops - distinctArcs(n, edges);
      out.stats.reciprocal = stats.duplicates - repeats;
    }
    return out;
  }
}

/** Distinct directed non-loop arcs: bucket by source, sort each bucket, count runs. */
function distinctArcs(n: number, e: EdgeBuffer): number {
  const pos = new Uint32Array(n + 1);
  for (let k = 0; k < e.length; k++) if (e.src[k] !== e.dst[k]) pos[e.src[k]! + 1]!++;
  for (let i = 0; i < n; i++) pos[i + 1]! += pos[i]!;
  const fill = pos.slice(0, n);
  const out = new Uint32Array(pos[n]!);
  for (let k = 0; k < e.length; k++) if (e.src[k] !== e.dst[k]) out[fill[e.src[k]!]!++] = e.dst[k]!;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const row = out.subarray(pos[i]!, pos[i + 1]!).sort();
    for (let k = 0; k < row.length; k++) if (k === 0 || row[k] !== row[k - 1]) count++;
  }
  return count;
}

/**
 * Token -> node index in order of first appearance. Plain decimal ids (SNAP's
 * case) are looked up in a typed array without making a string; others, and
 * ids too large for the table, go through the Map.
 */
class IdTable {
  readonly ids: string[] = [];
  readonly index = new Map<string, number>();
  private byInt = new Int32Array(1024); // index + 1, 0 = unseen
  private readonly limit: number; // table size cap: 4 bytes per input char, at most 64 MB
  /** the text being parsed (the current chunk) */
  text = '';

  constructor(inputChars: number) {
    this.limit = Math.min(inputChars, 1 << 24);
  }

  get(s: number, e: number): number {
    const t = this.text;
    let v = 0;
    let k = s;
    if (e - s <= 9 && (e - s === 1 || t.charCodeAt(s) !== 48)) {
      for (; k < e; k++) {
        const d = t.charCodeAt(k) - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
    }
    if (k < e || v >= this.limit) return this.named(t.slice(s, e));
    if (v >= this.byInt.length) this.grow(v);
    const x = this.byInt[v]!;
    if (x > 0) return x - 1;
    const id = this.named(t.slice(s, e));
    this.byInt[v] = id + 1;
    return id;
  }

  private named(tok: string): number {
    let k = this.index.get(tok);
    if (k === undefined) {
      k = this.ids.length;
      this.index.set(tok, k);
      this.ids.push(tok);
    }
    return k;
  }

  private grow(v: number): void {
    const a = new Int32Array(Math.min(this.limit, Math.max(v + 1, this.byInt.length * 2)));
    a.set(this.byInt);
    this.byInt = a;
  }
}
