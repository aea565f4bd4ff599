// Replication files: JSON Lines, one finished replication per line, after a
// first line holding the manifest (scenario, its hash, seed, shard and what
// the summary needs about the graph and designs). Lines are appended in
// completion order and fsynced, so a crash can at worst tear the last line,
// which readers detect and drop.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { Scenario } from './scenario.js';
import type { Row } from './replicate.js';
import type { DesignInfo, GraphInfo } from './run.js';
import type { InputHash } from './inputs.js';

export const FORMAT = 'spillover-replications/2';

export interface Shard {
  /** 0-based: this shard runs replications r with r % count === index */
  index: number;
  count: number;
}

export interface Manifest {
  format: typeof FORMAT;
  scenarioHash: string;
  seed: number | string;
  replications: number;
  shard: Shard | null;
  scenario: Scenario;
  /** the input files the run read (graph, labels, covariates) with their content hashes */
  inputs: InputHash[];
  graph: GraphInfo;
  designs: DesignInfo[];
}

// What a manifest must hold for resume and merge to trust it (validated with
// zod, like scenarios): a hand-edited or truncated manifest is refused with
// the field named instead of failing later with a TypeError.
const count = z.number().int().nonnegative();
const manifestSchema = z.looseObject({
  format: z.literal(FORMAT),
  scenarioHash: z.string().min(1),
  seed: z.union([z.number(), z.string()]),
  replications: count,
  shard: z.strictObject({ index: count, count: z.number().int().positive() }).nullable(),
  scenario: z.looseObject({}),
  inputs: z.array(z.looseObject({ field: z.string(), file: z.string(), bytes: count, sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  graph: z.looseObject({
    nodes: count,
    edges: count,
    meanDegree: z.number(),
    isolated: count,
    threads: count.nullable(),
    meanThreadsPerUser: z.number().nullable(),
  }),
  designs: z.array(
    z.looseObject({
      name: z.string(),
      type: z.string(),
      p: z.number(),
      units: count,
      withinClusterShare: z.number().nullable(),
      randomClustering: z.boolean(),
      skipped: z.array(z.looseObject({ id: z.string(), reason: z.string() })),
    }),
  ),
});

/** The manifest of `path` after checking its fields, or a UserError naming the file and the first bad field. */
export function validateManifest(path: string, value: unknown): Manifest {
  const parsed = manifestSchema.safeParse(value, { reportInput: true });
  if (parsed.success) return value as Manifest;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length
    ? issue.path
        .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
        .join('')
        .replace(/^\./, '')
    : '(top level)';
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  throw new UserError(
    `${path}: the manifest on line 1 ${missing ? 'lacks' : 'has an invalid'} field manifest.${field}${missing ? '' : ` (${issue.message})`}; the file is damaged or from another version`,
    'EFILE',
  );
}

/** JSON with object keys sorted, so equal scenarios hash equally. */
export function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x !== null && typeof x === 'object') {
    const keys = Object.keys(x)
      .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(x);
}

export function scenarioHash(s: Scenario): string {
  return createHash('sha256').update(canonical(s)).digest('hex').slice(0, 16);
}

/** Leaf paths where two JSON values differ (at most `max`). */
export function differences(a: unknown, b: unknown, max = 6, path = ''): string[] {
  if (canonical(a) === canonical(b)) return [];
  const obj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object';
  if (!obj(a) || !obj(b) || Array.isArray(a) !== Array.isArray(b)) return [path || '(top level)'];
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const p = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    out.push(...differences(a[k], b[k], max, p));
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}

/** Replications of a shard (all of them without one). */
export function shardReps(replications: number, shard: Shard | null): number[] {
  const reps: number[] = [];
  for (let r = shard?.index ?? 0; r < replications; r += shard?.count ?? 1) reps.push(r);
  return reps;
}

export const repLine = (rep: number, rows: Row[]): string => JSON.stringify({ rep, rows });

export interface ReplicationFile {
  /** null when the crash came before the manifest line was complete */
  manifest: Manifest | null;
  /** rows by replication, in file order */
  reps: Map<number, Row[]>;
  /** the line (1-based) each replication is on */
  lines: Map<number, number>;
  /** bytes of intact lines; a torn tail starts here */
  intactBytes: number;
  /** bytes after the last intact line (a crash mid-write), dropped */
  tornBytes: number;
}

/** Read a replication file; a torn last line is reported, any other bad line is an error. */
export function readReplicationFile(path: string): ReplicationFile {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'EFILE');
  }
  let manifest: Manifest | null = null;
  const reps = new Map<number, Row[]>();
  const lines = new Map<number, number>();
  let start = 0;
  let lineNo = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(10, start);
    lineNo++;
    const end = nl < 0 ? buf.length : nl;
    let value: { manifest?: Manifest; rep?: number; rows?: Row[] } | null = null;
    try {
      value = JSON.parse(buf.toString('utf8', start, end));
    } catch {
      value = null;
    }
    const last = nl < 0 || nl === buf.length - 1;
    if (nl < 0 || !value || (lineNo > 1 && (typeof value.rep !== 'number' || !Array.isArray(value.rows)))) {
      if (last) break; // torn by a crash: drop it
      throw new UserError(`${path}: line ${lineNo} is not a replication record; the file is damaged`, 'EFILE');
    }
    if (lineNo === 1) {
      if (value.manifest === null || typeof value.manifest !== 'object' || value.manifest.format !== FORMAT) {
        const format = (value.manifest as { format?: unknown } | null)?.format;
        if (typeof format === 'string' && format.startsWith('spillover-replications/'))
          throw new UserError(
            `${path} is a replication file of format "${format}", not "${FORMAT}" (which records the input files' hashes); it cannot be resumed or merged by this version: run again with another --out`,
            'EFILE',
          );
        throw new UserError(`${path} is not a spillover replication file (no "${FORMAT}" manifest on line 1)`, 'EFILE');
      }
      manifest = validateManifest(path, value.manifest);
    } else {
      if (reps.has(value.rep!)) throw new UserError(`${path}: replication ${value.rep} appears twice (line ${lineNo})`, 'EFILE');
      // files written before undefined estimates carried a reason
      for (const row of value.rows!) if (row.estimate === null && row.reason === undefined) row.reason = 'unspecified';
      reps.set(value.rep!, value.rows!);
      lines.set(value.rep!, lineNo);
    }
    start = end + 1;
  }
  return { manifest, reps, lines, intactBytes: Math.min(start, buf.length), tornBytes: buf.length - Math.min(start, buf.length) };
}

/** Appends lines durably: one write and one fsync per batch. */
export class LineWriter {
  private readonly fd: number;
  /** a new file starting with `header`, or an existing one cut back to its intact lines (`truncateTo`) */
  constructor(
    readonly path: string,
    opts: { header: Manifest } | { truncateTo: number },
  ) {
    if ('truncateTo' in opts) truncateSync(path, opts.truncateTo);
    this.fd = openSync(path, 'header' in opts ? 'w' : 'a');
    if ('header' in opts) this.append([JSON.stringify({ manifest: opts.header })]);
  }
  append(lines: string[]): void {
    writeSync(this.fd, lines.join('\n') + '\n');
    fsyncSync(this.fd);
  }
  close(): void {
    closeSync(this.fd);
  }
}
