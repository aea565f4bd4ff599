// The group-calls product scenario (scenarios/group-calls.json: same model,
// threads, designs and estimators) scaled up: 100,000 users, 28 days, setup
// timed apart from replications; then how the cost grows with users (25k,
// 50k, 100k at 3 threads per user) and with thread memberships (1.5, 3 and 6
// threads per user at 100k). Replications run on this thread through
// batchReplicator, the path the workers run.
//   node dist/bench/products-scale.js [--quick] [--days 28] [--seconds 30] [--min 3]
//   node dist/bench/products-scale.js --only 250/3     (one configuration: blocks/threads per user)
//   node dist/bench/products-scale.js --model group-stories --only 500/3   (scenarios/group-stories.json instead)
import { readFileSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildGraph } from '../src/sim/build-graph.js';
import { buildPlan } from '../src/sim/plan.js';
import { batchReplicator } from '../src/sim/replicate-batch.js';
import type { Row } from '../src/sim/replicate.js';
import { parseScenario, type Scenario } from '../src/sim/scenario.js';
import { edgeCount } from '../src/graph/csr.js';
import { args, machine, seconds } from './_common.js';

const a = args();
const quick = a.has('quick');
const days = Number(a.get('days') ?? (quick ? 3 : 28));
/** seconds of replications per configuration (at least `min` replications) */
const budget = Number(a.get('seconds') ?? (quick ? 0 : 30));
const minReps = Number(a.get('min') ?? (quick ? 2 : 3));
const BLOCK = 200;
// quick: 2-3 blocks of 200 users, 3 days
const headline = { blocks: quick ? 3 : 500, threadsPerUser: 3 };
const userSteps = quick ? [2, 3] : [125, 250, 500];
const threadSteps = [1.5, 3, 6];

/** the product scenario (group-calls or group-stories) */
const modelName = a.get('model') ?? 'group-calls';
if (!['group-calls', 'group-stories'].includes(modelName)) throw new Error(`--model: group-calls or group-stories, not ${modelName}`);

/** scenarios/<model>.json, from dist/bench or bench/ */
function baseScenario(): Record<string, any> {
  for (const rel of [`../../scenarios/${modelName}.json`, `../scenarios/${modelName}.json`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8'));
  }
  throw new Error(`scenarios/${modelName}.json not found`);
}
const base = baseScenario();
const g0 = base.graph as { blocks: number; blockSize: number; pIn: number; pOut: number };
/** expected friends in other blocks per user in the file (0.00025 · 19,800 = 4.95) */
const outFriends = g0.pOut * (g0.blocks * g0.blockSize - g0.blockSize);

function scenario(blocks: number, threadsPerUser: number): Scenario {
  const n = blocks * BLOCK;
  return parseScenario({
    ...base,
    name: `${modelName}-${n}-t${threadsPerUser}`,
    graph: { ...g0, blocks, blockSize: BLOCK, pOut: outFriends / (n - BLOCK) },
    threads: { ...base.threads, meanThreadsPerUser: threadsPerUser },
    model: { ...base.model, horizon: days },
  });
}

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

/** time a step: wall and CPU (whole process: V8's GC helper threads count too) */
function timed<T>(fn: () => T): { value: T; s: number; cpuS: number } {
  const c = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  return { value, s: +seconds(t0).toFixed(2), cpuS: +(cpuMs(process.cpuUsage(c)) / 1000).toFixed(2) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function measure(blocks: number, threadsPerUser: number) {
  const s = scenario(blocks, threadsPerUser);
  // setup as a parallel run does it: graph + threads, then the clusterings
  // (main thread); then a worker's plan, which reuses the clusterings and
  // prepares the estimators (exposure probabilities)
  const graph = timed(() => buildGraph(s));
  const bare = timed(() => buildPlan(s, graph.value, undefined, { prepareEstimators: false }));
  const plan = timed(() => buildPlan(s, graph.value, bare.value.clusterings));
  const run = batchReplicator(plan.value);
  const { n } = graph.value.csr;
  const memberships = graph.value.threads!.members.length;

  let rows = 0;
  let finite = 0;
  const noSE = new Set<string>(); // design/estimator with a row that has an estimate but no standard error
  const sink = (_r: number, rs: Row[]) => {
    rows = rs.length;
    finite = rs.filter((x) => x.estimate !== null).length;
    for (const x of rs) if (x.estimate !== null && x.se === null) noSE.add(`${x.design}/${x.estimator}`);
  };
  const warm = timed(() => run([0], sink)); // first replication: JIT and buffers
  const wall: number[] = [];
  const cpu: number[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 1; r <= minReps || seconds(t0) < budget; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    run([r], sink);
    wall.push(performance.now() - t);
    cpu.push(cpuMs(process.cpuUsage(c)));
  }
  const reps = wall.length;
  const totalS = seconds(t0);
  const cpuPerRep = cpuMs(process.cpuUsage(c0)) / reps;
  const units = n + memberships;

  // where a replication's CPU goes: the model's draw and worlds (5: truth =
  // 2, plus one per design) and each estimator, timed by wrapping them for a
  // few more replications (the rest: assignments, doses, rows)
  const part = new Map<string, number>();
  const wrap = <F extends (...xs: any[]) => any>(key: string, f: F): F =>
    ((...xs: any[]) => {
      const c = process.cpuUsage();
      const r = f(...xs);
      part.set(key, (part.get(key) ?? 0) + cpuMs(process.cpuUsage(c)));
      return r;
    }) as F;
  const m = plan.value.model as { draw: (...xs: any[]) => any; outcomes: (...xs: any[]) => any };
  m.draw = wrap('modelDraw', m.draw.bind(m));
  m.outcomes = wrap('worlds', m.outcomes.bind(m));
  for (const pd of plan.value.designs)
    for (const e of pd.estimators) (e as { run: typeof e.run }).run = wrap(`${pd.design.name}/${e.id}`, e.run);
  const extra = quick ? 1 : 2;
  const cb = process.cpuUsage();
  for (let r = 0; r < extra; r++) run([reps + 1 + r], sink);
  const cpuBreak = cpuMs(process.cpuUsage(cb)) / extra;
  const breakdown: Record<string, number> = {};
  for (const [k, v] of part) breakdown[k] = Math.round(v / extra);
  breakdown.rest = Math.round(cpuBreak - [...part.values()].reduce((x, y) => x + y, 0) / extra);

  const louvain = bare.value.clusterings.get('louvain');
  const sizes = new Array<number>(louvain?.count ?? 0).fill(0);
  for (const l of louvain?.labels ?? []) sizes[l]! += 1;
  sizes.sort((x, y) => x - y);
  return {
    users: n,
    threadsPerUser,
    memberships,
    threads: graph.value.threads!.count,
    friendships: edgeCount(graph.value.csr),
    louvainClusters: louvain?.count ?? null,
    louvainClusterSizes: sizes.length ? { min: sizes[0], median: sizes[sizes.length >> 1], max: sizes.at(-1) } : null,
    /** pairs of users sharing a Louvain cluster: Hajek's dependent pairs under that design (no SE above 10,000,000) */
    louvainPairs: sizes.reduce((x, k) => x + (k * (k - 1)) / 2, 0),
    setupSeconds: {
      graphAndThreads: graph.s,
      louvainAndModel: bare.s,
      planWithExposureProbabilities: plan.s,
      firstReplication: warm.s,
    },
    setupCpuSeconds: {
      graphAndThreads: graph.cpuS,
      louvainAndModel: bare.cpuS,
      planWithExposureProbabilities: plan.cpuS,
      firstReplication: warm.cpuS,
    },
    replications: reps,
    rowsPerReplication: rows,
    finiteEstimates: finite,
    noStandardError: [...noSE],
    // wall and CPU time: on a shared machine the CPU figure is the steadier one
    repsPerSecond: +(reps / totalS).toFixed(3),
    msPerReplication: { mean: Math.round((1000 * totalS) / reps), median: Math.round(median(wall)), min: Math.round(Math.min(...wall)) },
    cpuMsPerReplication: { mean: Math.round(cpuPerRep), median: Math.round(median(cpu)), min: Math.round(Math.min(...cpu)) },
    /** one world's outcomes (a replication simulates 5) */
    cpuMsPerWorld: Math.round((part.get('worlds') ?? 0) / extra / 5),
    /** CPU ms per replication by part, from `extra` more replications */
    cpuMsBreakdown: breakdown,
    /** CPU per (user + membership) per day, whole replication (truth = 2 worlds, plus 3 designs) */
    cpuNsPerUnitDay: +((1e6 * cpuPerRep) / (units * days)).toFixed(1),
    heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

const loadStart = loadavg().map((x) => +x.toFixed(2));
const runs = new Map<string, ReturnType<typeof measure>>();
function get(blocks: number, t: number) {
  const key = `${blocks}/${t}`;
  if (!runs.has(key)) runs.set(key, measure(blocks, t));
  return runs.get(key)!;
}

const only = a.get('only'); // "blocks/threadsPerUser": one configuration alone
if (only) {
  const [b, t] = only.split('/').map(Number);
  console.log(JSON.stringify(measure(b!, t!), null, 2));
  process.exit(0);
}
const head = get(headline.blocks, headline.threadsPerUser);
const byUsers = userSteps.map((b) => get(b, 3));
const byThreads = threadSteps.map((t) => get(headline.blocks, t));
const row = (x: ReturnType<typeof measure>) => ({
  users: x.users,
  threadsPerUser: x.threadsPerUser,
  memberships: x.memberships,
  repsPerSecond: x.repsPerSecond,
  cpuMsPerReplication: x.cpuMsPerReplication.mean,
  cpuNsPerUnitDay: x.cpuNsPerUnitDay,
  cpuMsPerWorld: x.cpuMsPerWorld,
  noStandardError: x.noStandardError,
});

console.log(
  JSON.stringify(
    {
      bench: 'products-scale',
      machine: machine(),
      /** load average (1, 5, 15 min) when the measurements started and ended */
      load: { start: loadStart, end: loadavg().map((x) => +x.toFixed(2)) },
      nodes: head.users,
      days,
      scenario: {
        from: `scenarios/${modelName}.json`,
        blockSize: BLOCK,
        pIn: g0.pIn,
        outFriendsPerUser: +outFriends.toFixed(3),
        designs: base.designs.map((d: { name: string }) => d.name),
        estimators: base.estimators,
      },
      secondsPerConfiguration: budget,
      headline: head,
      growth: { users: byUsers.map(row), threads: byThreads.map(row) },
      all: [...runs.values()],
    },
    null,
    2,
  ),
);
