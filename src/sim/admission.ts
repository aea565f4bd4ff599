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
// Throws a UserError (exit 2); returns the estimate. It also installs, for
// this thread, the memory each list of dependent pairs (ht/hajek's
// Aronow–Samii variance, one per design and exposure setting) may take:
// an equal share of what the limit leaves after everything else. Once the
// graph is built the exact count is checked against it before the pairs are
// allocated (exposure/budget.ts); set-up threads get it with their task.
//
// Estimates are upper-leaning sketches of the real allocations (bytes per
// node, edge and membership), meant to stop absurd runs, not to budget tight
// ones; the pair estimate is a rough one from the mean degree (it cannot see
// heavy-tailed degrees or cluster sizes), which the exact count backs up.
import { availableParallelism, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { formatBytes } from '../input-file.js';
import { LIMITS } from '../schema-common.js';
import { sbmExpectedEdges } from '../graph/generators/index.js';
import { PAIR_BYTES, PAIR_PEAK_BYTES } from '../estimate/exposure/pairs.js';
import { setPairBudget } from '../estimate/exposure/budget.js';
import { designName } from '../design/index.js';
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
  /** bytes each ht/hajek pair list may take, installed for this thread by admit (budget.ts) */
  pairShare: number;
}

/** The dependent-pair lists HT/Hajek will keep: one per design they apply to and exposure setting, with the hops within which users are dependent (a rough reach; 0 when none are estimated). */
function pairLists(s: Scenario): { design: string; why: string; hops: number }[] {
  const settings = new Map<string, 'neighbourhood' | 'own'>();
  for (const e of s.estimators) {
    if (e === 'ht' || e === 'hajek') settings.set('default', 'neighbourhood');
    else if (typeof e === 'object' && 'exposure' in e && (e.estimator === 'ht' || e.estimator === 'hajek')) {
      if ((e as { variance?: boolean }).variance === false) continue; // lists nothing
      const x = e.exposure as { kind: string };
      settings.set(JSON.stringify([x, e.draws, e.batches]), x.kind === 'thread-full' ? 'own' : 'neighbourhood');
    }
  }
  const lists: { design: string; why: string; hops: number }[] = [];
  for (const d of s.designs) {
    const name = designName(d);
    const c = (d as { clustering?: { method: string; radius?: number } }).clustering;
    for (const scope of settings.values()) {
      const own = scope === 'own';
      switch (d.type) {
        case 'saveski':
        case 'ego-cluster':
        case 'saturation':
          continue; // ht / hajek do not apply
        case 'user-bernoulli':
        case 'user-complete':
          // users are independent under own-unit exposure; within 2 hops under the neighbourhood's
          lists.push({ design: name, why: own ? 'own units' : 'users within 2 hops', hops: own ? 0 : 2 });
          break;
        case 'rgcr':
        case 'mixture': {
          // nodes within (scope + clustering reach) hops decide a user's exposure: pairs within twice that
          const reach = (own ? 0 : 1) + (c?.method === 'net' ? (c.radius ?? 1) - 1 : 1);
          lists.push({ design: name, why: `users within ${2 * reach} hops`, hops: 2 * reach });
          break;
        }
        default:
          // clusters, blocks, threads: at least the users within 2 hops (neighbourhood scope); cluster sizes are unknown here
          lists.push({
            design: name,
            why: own ? 'users sharing a unit, not estimated' : 'users within 2 hops at least',
            hops: own ? 0 : 2,
          });
      }
    }
  }
  return lists;
}

/** Users within `hops` of a user when the graph grows like a tree of mean degree d (d, then d − 1 new per step), at most n − 1. */
function reachable(n: number, d: number, hops: number): number {
  let total = 0;
  let shell = d;
  for (let h = 1; h <= hops && total < n; h++) ((total += shell), (shell *= Math.max(1, d - 1)));
  return Math.min(n - 1, total);
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
  // ht / hajek list the dependent pairs of each design and exposure setting
  // (pairs.ts), all kept at once: estimated here, counted exactly once the
  // graph is built and checked against each list's share of what is left
  // (budget.ts, installed below)
  const lists = pairLists(s);
  const degree = n > 0 ? (2 * g.edges) / n : 0;
  let pairs = 0;
  let largest = { pairs: 0, at: '' };
  for (const l of lists) {
    const p = l.hops > 0 ? (n * reachable(n, degree, l.hops)) / 2 : 0;
    pairs += p;
    if (p > largest.pairs) largest = { pairs: p, at: `design "${l.design}": ${l.why}` };
  }
  const pairBytes = pairs * PAIR_BYTES + largest.pairs * (PAIR_PEAK_BYTES - PAIR_BYTES);
  if (lists.length > 0)
    over(
      'estimators',
      `${lists.length} ht/hajek pair list${lists.length > 1 ? 's' : ''} (designs × exposure settings)`,
      bytes + pairBytes,
      `about ${big(pairs)} dependent pairs with their joint probabilities` +
        (lists.length > 1 ? ` (${big(largest.pairs)} for ${largest.at})` : ` (${largest.at})`) +
        '; a rough estimate from the mean degree, users within reach growing like a tree: it cannot see heavy-tailed ' +
        'degrees nor cluster sizes, which the exact count checks once the graph is built,',
      'use fewer designs or ht/hajek exposure settings, write the ht/hajek entries as { "estimator": "ht", "variance": false } (no standard error),',
    );
  bytes += pairBytes;
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
  // each pair list may take an equal share of the memory left by everything
  // else: the same for every run of this scenario and limit, whichever list
  // a set-up thread computes first
  const share = lists.length ? Math.max(0, maxMemory - (bytes - pairBytes)) / lists.length : maxMemory;
  setPairBudget({
    bytes: share,
    limit:
      lists.length > 1
        ? `each of the ${lists.length} pair lists (designs × ht/hajek exposure settings) may take: an equal share of ${limitName} after the graph and buffers`
        : `one pair list may take within ${limitName} after the graph and buffers`,
  });
  return { nodes: n, edges: g.edges, bytes, maxMemory, pairShare: share };
}
