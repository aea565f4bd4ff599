// Move a plan's fixed inputs (graph, clusterings) into SharedArrayBuffers so
// every worker reads the same memory: postMessage shares a SharedArrayBuffer
// instead of copying it (and it must never go in a transfer list).
import type { SocialGraph } from '../graph/csr.js';

export type Clusterings = Map<string, { labels: Int32Array; count: number }>;

type Typed = Int8Array | Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array;

function isTyped(x: unknown): x is Typed {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** The same typed array on a SharedArrayBuffer (itself when already shared). */
export function shareArray<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const ctor = a.constructor as { new (buf: SharedArrayBuffer, off: number, len: number): T; BYTES_PER_ELEMENT: number };
  const copy = new ctor(new SharedArrayBuffer(Math.max(1, a.length) * ctor.BYTES_PER_ELEMENT), 0, a.length);
  copy.set(a as never);
  return copy;
}

/** Typed arrays at any depth of plain objects moved to shared memory; everything else kept. */
export function shareDeep<T>(x: T, depth = 0): T {
  if (isTyped(x)) return shareArray(x) as T;
  if (depth > 3 || x === null || typeof x !== 'object' || Array.isArray(x) || x instanceof Map) return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = shareDeep(v, depth + 1);
  return out as T;
}

/** A graph whose CSR, threads, blocks and attribute arrays live in shared memory. */
export function shareGraph(g: SocialGraph): SocialGraph {
  return shareDeep(g);
}

/** Clusterings as [name, {labels on shared memory, count}] pairs, ready to post. */
export function shareClusterings(c: Clusterings): [string, { labels: Int32Array; count: number }][] {
  return [...c].map(([name, { labels, count }]) => [name, { labels: shareArray(labels), count }]);
}
