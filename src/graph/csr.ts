// Compact undirected graph in CSR form: the neighbours of node i are
// nbrs[offsets[i] .. offsets[i + 1]), sorted, without self-loops or duplicates.
// Hot loops read these typed arrays; a graphology Graph is built only when a
// step (Louvain, I/O) needs one.

export interface CSR {
  /** number of nodes */
  readonly n: number;
  /** n + 1 entries; offsets[n] = 2m */
  readonly offsets: Uint32Array;
  /** 2m entries, each undirected edge stored in both directions */
  readonly nbrs: Uint32Array;
}

/** Group threads as a bipartite CSR: thread -> members and user -> threads. */
export interface Threads {
  readonly count: number;
  readonly offsets: Uint32Array; // count + 1
  readonly members: Uint32Array; // sorted within a thread
  readonly userOffsets: Uint32Array; // n + 1
  readonly userThreads: Uint32Array; // sorted within a user
}

/** A social graph: friendships, optional group threads, optional known communities. */
export interface SocialGraph {
  readonly csr: CSR;
  readonly threads?: Threads;
  /** ground-truth block of each node, when a generator knows it (SBM) */
  readonly blocks?: Int32Array;
  /** per-node attributes (loaders), 0 or NaN = missing */
  readonly attributes?: Record<string, Float64Array>;
  /** original ids of nodes (loaders) */
  readonly ids?: string[];
}

export interface BuildStats {
  selfLoops: number;
  duplicates: number;
}

export function edgeCount(g: CSR): number {
  return g.offsets[g.n]! / 2;
}

export function degree(g: CSR, i: number): number {
  return g.offsets[i + 1]! - g.offsets[i]!;
}

/** Collects undirected edges into growable typed buffers. */
export class EdgeBuffer {
  src: Uint32Array;
  dst: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.src = new Uint32Array(Math.max(16, capacity));
    this.dst = new Uint32Array(Math.max(16, capacity));
  }
  push(u: number, v: number): void {
    if (this.length === this.src.length) {
      const cap = this.src.length * 2;
      const s = new Uint32Array(cap);
      s.set(this.src);
      const d = new Uint32Array(cap);
      d.set(this.dst);
      this.src = s;
      this.dst = d;
    }
    this.src[this.length] = u;
    this.dst[this.length] = v;
    this.length++;
  }
}

/**
 * Build a CSR from an undirected edge list in O(n + m log d): self-loops and
 * duplicate edges (in either direction) are dropped and counted.
 * `shared` puts the arrays in SharedArrayBuffers so workers can read them
 * without copying.
 */
export function csrFromEdges(
  n: number,
  src: ArrayLike<number>,
  dst: ArrayLike<number>,
  m = src.length,
  shared = false,
): { csr: CSR; stats: BuildStats } {
  const deg = new Uint32Array(n + 1);
  let selfLoops = 0;
  for (let e = 0; e < m; e++) {
    const u = src[e]!;
    const v = dst[e]!;
    if (u >= n || v >= n) throw new RangeError(`graph: edge ${e} (${u}, ${v}) names a node outside 0..${n - 1}`);
    if (u === v) {
      selfLoops++;
      continue;
    }
    deg[u]!++;
    deg[v]!++;
  }
  const pos = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) pos[i + 1] = pos[i]! + deg[i]!;
  const raw = new Uint32Array(pos[n]!);
  const fill = pos.slice(0, n);
  for (let e = 0; e < m; e++) {
    const u = src[e]!;
    const v = dst[e]!;
    if (u === v) continue;
    raw[fill[u]!++] = v;
    raw[fill[v]!++] = u;
  }
  // sort each row, then compact away duplicates
  const offsets = alloc(Uint32Array, n + 1, shared);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const a = pos[i]!;
    const b = pos[i + 1]!;
    const row = raw.subarray(a, b);
    row.sort();
    offsets[i] = w;
    let last = -1;
    for (let k = 0; k < row.length; k++) {
      const x = row[k]!;
      if (x !== last) {
        raw[w++] = x;
        last = x;
      }
    }
  }
  offsets[n] = w;
  const nbrs = alloc(Uint32Array, w, shared);
  nbrs.set(raw.subarray(0, w));
  const duplicates = (pos[n]! - w) / 2;
  return { csr: { n, offsets, nbrs }, stats: { selfLoops, duplicates } };
}

/** Build the bipartite thread index from a flat list of thread member lists. */
export function threadsFromLists(n: number, lists: ArrayLike<number>[], shared = false): Threads {
  const count = lists.length;
  const offsets = alloc(Uint32Array, count + 1, shared);
  for (let t = 0; t < count; t++) offsets[t + 1] = offsets[t]! + lists[t]!.length;
  const members = alloc(Uint32Array, offsets[count]!, shared);
  const userCount = new Uint32Array(n + 1);
  for (let t = 0; t < count; t++) {
    const l = Array.from(lists[t]!).sort((a, b) => a - b);
    for (let k = 0; k < l.length; k++) {
      const u = l[k]!;
      if (u >= n) throw new RangeError(`threads: thread ${t} names user ${u} outside 0..${n - 1}`);
      if (k > 0 && l[k - 1] === u) throw new RangeError(`threads: thread ${t} lists user ${u} twice`);
      members[offsets[t]! + k] = u;
      userCount[u]!++;
    }
  }
  const userOffsets = alloc(Uint32Array, n + 1, shared);
  for (let i = 0; i < n; i++) userOffsets[i + 1] = userOffsets[i]! + userCount[i]!;
  const userThreads = alloc(Uint32Array, userOffsets[n]!, shared);
  const fill = userOffsets.slice(0, n);
  for (let t = 0; t < count; t++) {
    for (let k = offsets[t]!; k < offsets[t + 1]!; k++) userThreads[fill[members[k]!]!++] = t;
  }
  return { count, offsets, members, userOffsets, userThreads };
}

type TypedCtor<T> = { new (buf: ArrayBufferLike, off: number, len: number): T; new (len: number): T; BYTES_PER_ELEMENT: number };

/** Allocate a typed array, optionally on a SharedArrayBuffer. */
export function alloc<T>(ctor: TypedCtor<T>, length: number, shared: boolean): T {
  if (!shared) return new ctor(length);
  return new ctor(new SharedArrayBuffer(Math.max(1, length) * ctor.BYTES_PER_ELEMENT), 0, length);
}
