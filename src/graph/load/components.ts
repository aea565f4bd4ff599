// Connected components by iterative BFS over CSR (no recursion, no graphology):
// O(n + m) time, three n-sized typed arrays.
import { alloc, threadsFromLists, type CSR, type SocialGraph, type Threads } from '../csr.js';
import type { Mutable } from './types.js';

/** Component of each node (0..count-1, numbered by smallest member) and component sizes. */
export function connectedComponents(g: CSR): { comp: Int32Array; count: number; sizes: number[] } {
  const comp = new Int32Array(g.n).fill(-1);
  const queue = new Uint32Array(g.n);
  const sizes: number[] = [];
  for (let s = 0; s < g.n; s++) {
    if (comp[s] !== -1) continue;
    const c = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    comp[s] = c;
    while (head < tail) {
      const u = queue[head++]!;
      for (let k = g.offsets[u]!; k < g.offsets[u + 1]!; k++) {
        const v = g.nbrs[k]!;
        if (comp[v] === -1) {
          comp[v] = c;
          queue[tail++] = v;
        }
      }
    }
    sizes.push(tail);
  }
  return { comp, count: sizes.length, sizes };
}

/**
 * Restrict a graph to its largest connected component (ties: the one with
 * the smallest node index). Nodes keep their relative order, so `kept[new] =
 * old` is increasing. csr, attributes, ids and blocks are restricted; thread
 * members outside are dropped and threads that lose members and fall below 3
 * are dropped. A connected graph is returned as is.
 */
export function largestComponent(g: SocialGraph, shared = false): { graph: SocialGraph; kept: Uint32Array } {
  const { n } = g.csr;
  const { comp, sizes } = connectedComponents(g.csr);
  let best = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c]! > sizes[best]!) best = c;
  const size = sizes[best] ?? 0;
  if (size === n) return { graph: g, kept: Uint32Array.from({ length: n }, (_, i) => i) };

  const kept = new Uint32Array(size);
  const fresh = new Int32Array(n).fill(-1); // new index of each old node, -1 if dropped
  for (let i = 0, j = 0; i < n; i++) {
    if (comp[i] === best) {
      kept[j] = i;
      fresh[i] = j++;
    }
  }
  const out: Mutable<SocialGraph> = { csr: restrictCsr(g.csr, kept, fresh, shared) };
  if (g.attributes) {
    out.attributes = {};
    for (const [key, col] of Object.entries(g.attributes)) out.attributes[key] = pick(col, kept);
  }
  if (g.ids) out.ids = Array.from(kept, (i) => g.ids![i]!);
  if (g.blocks) out.blocks = pick(g.blocks, kept);
  if (g.threads) out.threads = restrictThreads(g.threads, fresh, size, shared);
  return { graph: out, kept };
}

/** Neighbours of a kept node are all kept (same component), and `fresh` is increasing, so rows stay sorted. */
function restrictCsr(g: CSR, kept: Uint32Array, fresh: Int32Array, shared: boolean): CSR {
  const n = kept.length;
  const offsets = alloc(Uint32Array, n + 1, shared);
  for (let j = 0; j < n; j++) offsets[j + 1] = offsets[j]! + g.offsets[kept[j]! + 1]! - g.offsets[kept[j]!]!;
  const nbrs = alloc(Uint32Array, offsets[n]!, shared);
  for (let j = 0, w = 0; j < n; j++) {
    for (let k = g.offsets[kept[j]!]!; k < g.offsets[kept[j]! + 1]!; k++) nbrs[w++] = fresh[g.nbrs[k]!]!;
  }
  return { n, offsets, nbrs };
}

function restrictThreads(t: Threads, fresh: Int32Array, n: number, shared: boolean): Threads {
  const lists: number[][] = [];
  for (let c = 0; c < t.count; c++) {
    const list: number[] = [];
    for (let k = t.offsets[c]!; k < t.offsets[c + 1]!; k++) {
      const j = fresh[t.members[k]!]!;
      if (j >= 0) list.push(j);
    }
    const before = t.offsets[c + 1]! - t.offsets[c]!;
    if (list.length === before || list.length >= 3) lists.push(list);
  }
  return threadsFromLists(n, lists, shared);
}

function pick<T extends Float64Array | Int32Array>(col: T, kept: Uint32Array): T {
  const out = new (col.constructor as new (n: number) => T)(kept.length);
  for (let j = 0; j < kept.length; j++) out[j] = col[kept[j]!]!;
  return out;
}
