import type { SocialGraph } from '../csr.js';

export interface LoadStats {
  /** edge records read: data lines of an edge list, `edge [...]` blocks of a GML file */
  lines: number;
  /** records u u, dropped */
  selfLoops: number;
  /** records collapsed into an earlier edge (either direction), dropped; lines = edges + selfLoops + duplicates */
  duplicates: number;
  /** directed input only: duplicates that were the reverse of an earlier edge (a b, then b a) rather than repeats */
  reciprocal?: number;
}

/** A freshly parsed graph: node i has original id ids[i], and index maps back. */
export type LoadedGraph = SocialGraph & {
  readonly ids: string[];
  readonly index: ReadonlyMap<string, number>;
  readonly stats: LoadStats;
};

/** Writable view of a readonly record, for building one field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
