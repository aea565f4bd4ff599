// Product models: cost per replication against users + thread memberships
// (should be linear), and the cost of the counter-based uniforms against
// pre-drawn arrays from seeded streams.
//   node dist/bench/products.js [--quick] [--days 28] [--seconds 2]
// The full group-calls scenario at 25k-100k users: bench/products-scale.ts.
import { buildGraph } from '../src/sim/build-graph.js';
import { buildPlan } from '../src/sim/plan.js';
import { replicator } from '../src/sim/replicate.js';
import { parseScenario } from '../src/sim/scenario.js';
import { edgeCount } from '../src/graph/csr.js';
import { outcomeBuffers } from '../src/model/index.js';
import { stream } from '../src/random/streams.js';
import { fastStream } from '../src/random/fast.js';
import { dayKey, u01 } from '../src/random/hash.js';
import { args, machine, rate } from './_common.js';

const a = args();
const quick = a.has('quick');
const days = Number(a.get('days') ?? (quick ? 3 : 28));
const budget = Number(a.get('seconds') ?? (quick ? 0.05 : 2));
const sizes = quick ? [2, 4] : [25, 50, 100, 200]; // blocks of 200 users

function scenario(type: string, blocks: number) {
  return parseScenario({
    seed: 1,
    graph: { generator: 'sbm', blocks, blockSize: 200, pIn: 0.075, pOut: 0.05 / blocks },
    threads: { meanThreadsPerUser: 3 },
    model: { type, horizon: days },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'thread', name: 'thread', p: 0.5 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm'],
  });
}

const models = ['group-calls', 'group-stories'].map((type) => ({
  model: type,
  sizes: sizes.map((blocks) => {
    const s = scenario(type, blocks);
    const graph = buildGraph(s);
    const plan = buildPlan(s, graph);
    const n = graph.csr.n;
    const memberships = graph.threads!.members.length;
    const m = plan.model;
    const out = outcomeBuffers(m, n);
    const draw = m.draw((p) => stream(1, p));
    const dose = new Float64Array(n).map((_, i) => i % 2);
    for (let r = 0; r < 2; r++) m.outcomes(draw, { dose, threadOn: null }, out.num, out.den); // JIT warm-up
    let cpu = process.cpuUsage();
    const world = rate(() => m.outcomes(draw, { dose, threadOn: null }, out.num, out.den), budget);
    const cpuWorld = process.cpuUsage(cpu).user / 1000 / world.calls;
    const rep = replicator(plan);
    rep(0);
    let r = 1;
    cpu = process.cpuUsage();
    const reps = rate(() => rep(r++), budget);
    const cpuRep = process.cpuUsage(cpu).user / 1000 / reps.calls;
    const msWorld = (1000 * world.seconds) / world.calls;
    return {
      users: n,
      memberships,
      friendships: edgeCount(graph.csr),
      // wall and CPU time: on a shared machine the CPU figure is the steadier one
      msPerWorld: +msWorld.toFixed(1),
      cpuMsPerWorld: +cpuWorld.toFixed(1),
      // truth (2 worlds) + 3 designs, plus estimators
      msPerReplication: +((1000 * reps.seconds) / reps.calls).toFixed(0),
      cpuMsPerReplication: +cpuRep.toFixed(0),
      cpuNsPerUnitDay: +((1e6 * cpuWorld) / ((n + memberships) * days)).toFixed(1),
    };
  }),
}));

// one uniform per membership-day at the 20k-user scale: hashing on demand vs
// pre-drawing arrays for every day (what common random numbers would need)
const count = quick ? 10_000 : 60_000 * 28;
let sink = 0;
const k = dayKey(12345, 3);
const hash = rate(() => {
  for (let i = 0; i < count; i++) sink += u01(k, i);
}, budget);
const alea = rate(() => {
  const g = stream(1, 'bench');
  const buf = new Float64Array(count);
  for (let i = 0; i < count; i++) buf[i] = g();
  sink += buf[count - 1]!;
}, budget);
const fast = rate(() => {
  const g = fastStream(1, 'bench');
  const buf = new Float64Array(count);
  for (let i = 0; i < count; i++) buf[i] = g();
  sink += buf[count - 1]!;
}, budget);
const ns = (x: { calls: number; seconds: number }) => +((1e9 * x.seconds) / (x.calls * count)).toFixed(1);

console.log(
  JSON.stringify(
    {
      bench: 'products',
      machine: machine(),
      nodes: models[0]!.sizes.at(-1)!.users,
      days,
      models,
      uniforms: {
        count,
        nsEach: { hash: ns(hash), aleaPredrawn: ns(alea), sfc32Predrawn: ns(fast) },
        predrawnMiBPerPurpose: +((count * 8) / 2 ** 20).toFixed(1),
        checksum: sink > 0,
      },
    },
    null,
    2,
  ),
);
