// Admission before allocation (issue 13): every size a scenario or flag
// implies is estimated from the scenario alone, and a run whose memory or
// work is out of reach is refused before anything is built, with a message
// naming the field, its value, the estimate and the limit.
//
// Call it after the scenario is loaded and flags are applied, before
// building a graph or a plan:
//
//   admit(scenario, { workers: opts.workers, maxMemory: opts.maxMemory, reps: opts.reps });
//
// - workers: worker threads (default 1); more than MAX_WORKERS is refused,
//   more than the cores only warned about (on stderr, or `warn`)
// - maxMemory: bytes, from --max-memory (maxMemoryOption in cli/args.ts);
//   undefined means defaultMaxMemory()
// - reps: the --reps value when given, so a refusal names the flag
// - draws: other Monte Carlo loops of a command ({ field: '--exact-draws', value })
// - clusterings: clusterings a command keeps at once ({ field: '--curve', value: K })
// - shards: the run is one of this many shards (its work is a share)
// Throws a UserError (exit 2); returns the estimate.
//
// Estimates are upper-leaning sketches of the real allocations (bytes per
// node, edge and membership), meant to stop absurd runs, not to budget tight ones.
import { availableParallelism, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { formatBytes } from '../input-file.js';
import { LIMITS } from '../schema-common.js';
import { sbmExpectedEdges } from '../graph/generators/index.js';
import { MAX_PAIRS } from '../estimate/exposure/pairs.js';
import { dataFile, dataFields } from './data-path.js';
import type { Scenario } from './parse-scenario.js';

export const MAX_WORKERS = 256;
/** CSR arrays index edges and nodes with 32 bits */
const MAX_EDGES = 2 ** 31 - 1;
/** element steps (a node or an edge visited once) per second and thread: a generous pace */
const STEPS_PER_SECOND = 2e8;
/** a draw or clustering also costs a fixed set-up (streams, buffers), in steps */
const PER_DRAW = 10_000;
/** work beyond this many days is refused as absurd */
const MAX_DAYS = 30;

// bytes, peak while building: edge buffers, the CSR's scratch and the CSR itself
const GRAPH_PER_NODE = 16;
const GRAPH_PER_EDGE = 32;
// a group thread membership: member lists while drawing, then the two CSRs
const PER_MEMBERSHIP = 64;
// each worker's plan and per-replication buffers (doses, sums, 32-replication bit planes, outcomes)
const WORKER_PER_NODE = 200;
const WORKER_PER_NODE_DESIGN = 24;
// a dependent pair of Aronow–Samii: its ids and joint probabilities (pairs.ts says about 40 bytes)
const PER_PAIR = 40;
// one result row kept for the summary (per replication, design, estimator and metric)
const PER_ROW = 400;

export interface AdmitOptions {
  workers?: number;
  maxMemory?: number;
  reps?: number;
  draws?: { field: string; value: number }[];
  clusterings?: { field: string; value: number };
  shards?: number;
  warn?: (line: string) => void;
}

export interface Admission {
  nodes: number;
  edges: number;
  bytes: number;
  maxMemory: number;
}

/** The memory a run may use: 75% of physical memory, or of the cgroup limit when lower. */
export function defaultMaxMemory(): number {
  return Math.floor(0.75 * Math.min(totalmem(), cgroupLimit() ?? Infinity));
}

function cgroupLimit(): number | undefined {
  for (const f of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const v = Number(readFileSync(f, 'utf8').trim()); // "max" reads as NaN
      if (Number.isFinite(v) && v > 0 && v < 2 ** 60) return v;
    } catch {
      // not readable: no cgroup limit known
    }
  }
  return undefined;
}

/** `graph.n = 5` for a field, `--reps 5` for a flag */
const show = (field: string, value: string | number) => (field.startsWith('--') ? `${field} ${value}` : `${field} = ${value}`);
const big = (x: number) => (x >= 1e6 ? x.toExponential(2).replace('e+', 'e') : Math.round(x).toLocaleString('en-US'));

function duration(seconds: number): string {
  const days = seconds / 86400;
  return days >= 365 ? `${big(days / 365)} years` : days >= 1 ? `${big(days)} days` : `${big(seconds / 3600)} hours`;
}

interface GraphEstimate {
  nodes: number;
  edges: number;
  bytes: number;
  /** the scenario field behind the size, with its value as written */
  field: string;
  value: string;
}

function graphEstimate(s: Scenario): GraphEstimate {
  const g = s.graph;
  const sized = (nodes: number, edges: number, field: string, value: unknown) => ({
    nodes,
    edges,
    bytes: GRAPH_PER_NODE * nodes + GRAPH_PER_EDGE * edges,
    field,
    value: typeof value === 'number' ? String(value) : JSON.stringify(value),
  });
  switch (g.generator) {
    case 'watts-strogatz':
      return sized(g.n, (g.n * g.k) / 2, 'graph.n', g.n);
    case 'barabasi-albert':
      return sized(g.n, Math.max(0, g.n - g.m) * g.m + (g.m * (g.m - 1)) / 2, 'graph.n', g.n);
    case 'torus': {
      const n = g.side * g.side;
      // 2r(r+1) lattice points within Manhattan distance r, each edge seen from both ends
      return sized(n, n * g.radius * (g.radius + 1) + n * g.longRangeMean, 'graph.side', g.side);
    }
    case 'sbm': {
      if (g.sizes) {
        const n = g.sizes.reduce((a, b) => a + b, 0);
        const value = g.sizes.length > 4 ? `${g.sizes.length} blocks, ${n} users` : g.sizes;
        return sized(n, sbmExpectedEdges(g.sizes, g.pIn, g.pOut), 'graph.sizes', value);
      }
      const b = g.blocks!;
      const k = g.blockSize!;
      const n = b * k;
      const edges = ((b * k * (k - 1)) / 2) * g.pIn + ((n * n - b * k * k) / 2) * g.pOut;
      return sized(n, edges, g.blocks! > 1 ? 'graph.blocks × graph.blockSize' : 'graph.blockSize', b > 1 ? `${b} × ${k}` : k);
    }
    case 'file': {
      const { bytes } = dataFile('graph.file', g.file);
      // at least a few bytes a record: "1 2\n" in an edge list, far more in GML
      const edges = bytes / (g.format === 'gml' || g.file.toLowerCase().endsWith('.gml') ? 24 : 8);
      // the text as one string, an id map and the CSR
      return { nodes: edges, edges, bytes: 2 * bytes + 64 * edges, field: 'graph.file', value: JSON.stringify(g.file) };
    }
  }
}

/** Check the scenario's sizes against the bounds and the memory limit; see the top of this file. */
export function admit(s: Scenario, o: AdmitOptions = {}): Admission {
  const workers = o.workers ?? 1;
  const warn = o.warn ?? ((line: string) => process.stderr.write(line + '\n'));
  const maxMemory = o.maxMemory ?? defaultMaxMemory();
  const limitName =
    o.maxMemory === undefined ? `the default --max-memory ${formatBytes(maxMemory)}` : `--max-memory ${formatBytes(maxMemory)}`;
  const refuse = (what: string, fix: string) => {
    throw new UserError(`${what}; ${fix}`, 'EPARAM');
  };

  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS)
    refuse(
      `--workers ${workers}: at most ${MAX_WORKERS} worker threads`,
      `use at most the ${availableParallelism()} cores of this machine`,
    );
  if (workers > availableParallelism())
    warn(`spillover: warning: --workers ${workers} is more than the ${availableParallelism()} cores here; the run will not be faster`);
  const repsField = o.reps !== undefined ? '--reps' : 'replications';
  const reps = s.replications;
  if (reps > LIMITS.replications)
    refuse(
      `${show(repsField, reps)}: at most ${LIMITS.replications.toLocaleString('en-US')} replications`,
      'run shards (--shard i/N) for more',
    );

  for (const { field, file } of dataFields(s)) dataFile(field, file); // regular files within their limit, or a message naming the field

  const g = graphEstimate(s);
  const sizeFix = `lower ${g.field.split(' ')[0]}`;
  if (g.nodes > LIMITS.nodes)
    refuse(`${show(g.field, g.value)}: ${big(g.nodes)} users, more than the ${big(LIMITS.nodes)} node ids of 32 bits`, sizeFix);
  if (g.edges > MAX_EDGES)
    refuse(`${show(g.field, g.value)}: about ${big(g.edges)} edges, more than the ${big(MAX_EDGES)} the graph arrays can index`, sizeFix);
  const over = (field: string, value: string, bytes: number, what: string, fix: string) => {
    if (bytes > maxMemory)
      refuse(`${show(field, value)}: about ${formatBytes(bytes)} for ${what} exceeds ${limitName}`, `${fix} or raise --max-memory`);
  };
  over(g.field, g.value, g.bytes, 'the graph (CSR)', sizeFix);

  const n = g.nodes;
  let bytes = g.bytes;
  if (s.threads) {
    const memberships = s.threads.meanThreadsPerUser * n;
    const t = memberships * PER_MEMBERSHIP;
    over(
      'threads.meanThreadsPerUser',
      String(s.threads.meanThreadsPerUser),
      bytes + t,
      `the graph and ${big(memberships)} thread memberships`,
      'lower threads.meanThreadsPerUser',
    );
    bytes += t;
  }
  s.designs.forEach((d, i) => {
    if (d.type !== 'mixture') return;
    const t = d.k * n * 4;
    over(`designs[${i}].k`, String(d.k), bytes + t, `${d.k} clusterings of ${big(n)} users`, `lower designs[${i}].k`);
    bytes += t;
  });
  if (o.clusterings) {
    const { field, value } = o.clusterings;
    const t = value * n * 4;
    over(field, String(value), bytes + t, `${value} clusterings of ${big(n)} users`, `lower ${field}`);
    bytes += t;
  }
  // ht / hajek list the pairs of users within two hops (capped at MAX_PAIRS) for each design and exposure setting
  const settings = new Set(
    s.estimators
      .filter((e) => e === 'ht' || e === 'hajek' || (typeof e === 'object' && 'exposure' in e))
      .map((e) => JSON.stringify(e === 'ht' || e === 'hajek' ? 'default' : [e.exposure, e.draws, e.batches])),
  ).size;
  if (settings > 0) {
    const degree = n > 0 ? (2 * g.edges) / n : 0;
    const pairs = Math.min(MAX_PAIRS, (n * degree * degree) / 2);
    const t = s.designs.length * settings * pairs * PER_PAIR;
    over(
      'estimators',
      `${settings} ht/hajek exposure setting${settings > 1 ? 's' : ''}`,
      bytes + t,
      `about ${big(pairs)} dependent pairs for each of ${s.designs.length} designs`,
      'use fewer designs or ht/hajek settings',
    );
    bytes += t;
  }
  const perWorker = n * (WORKER_PER_NODE + WORKER_PER_NODE_DESIGN * s.designs.length);
  over(
    '--workers',
    String(workers),
    bytes + workers * perWorker,
    `the graph and ${workers} workers' buffers (${formatBytes(perWorker)} each)`,
    'use fewer --workers',
  );
  bytes += workers * perWorker;
  const metrics = 'horizon' in s.model ? 8 : 1; // product models report several metrics
  const rows = ((reps * s.designs.length * s.estimators.length * metrics) / (o.shards ?? 1)) * PER_ROW;
  over(repsField, String(reps), bytes + rows, `${big(reps)} replications' result rows`, `lower ${repsField}`);
  bytes += rows;

  // work: every replication, every Monte Carlo draw visits the graph
  const pass = n + 2 * g.edges;
  const days = (steps: number, threads: number) => steps / STEPS_PER_SECOND / threads / 86400;
  const tooLong = (field: string, value: number, steps: number, threads: number) => {
    const d = days(steps, threads);
    if (d > MAX_DAYS)
      refuse(
        `${show(field, value)}: about ${duration(d * 86400)} of work on ${threads} thread${threads > 1 ? 's' : ''} (${big(steps)} node and edge visits), beyond the ${MAX_DAYS}-day limit`,
        `lower ${field}`,
      );
  };
  const horizon = 'horizon' in s.model ? (s.model.horizon as number) : 1;
  tooLong(repsField, reps, (reps / (o.shards ?? 1)) * s.designs.length * pass * horizon, workers);
  s.estimators.forEach((e, i) => {
    if (typeof e === 'object' && 'draws' in e)
      tooLong(`estimators[${i}].draws`, e.draws, e.draws * s.designs.length * (PER_DRAW + pass), 1);
  });
  s.designs.forEach((d, i) => {
    if (d.type === 'mixture') tooLong(`designs[${i}].k`, d.k, d.k * (PER_DRAW + pass), 1);
  });
  for (const d of o.draws ?? []) tooLong(d.field, d.value, d.value * s.designs.length * (PER_DRAW + pass), 1);
  return { nodes: n, edges: g.edges, bytes, maxMemory };
}
