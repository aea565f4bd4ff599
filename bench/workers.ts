// (b) Throughput of the worker pool with 1 and 2 workers on the same plan
// (graph in SharedArrayBuffers, clusterings shipped once). Rounds alternate
// 1 and 2 workers so a busy machine disturbs both alike; the median speedup
// over rounds is reported.
//   node dist/bench/workers.js [--blocks 200] [--reps 128] [--rounds 3] [--quick]
import { buildGraph } from '../src/sim/build-graph.js';
import { buildPlan } from '../src/sim/plan.js';
import { shareClusterings, shareGraph } from '../src/sim/shared.js';
import { ReplicationPool } from '../src/sim/pool.js';
import { edgeCount } from '../src/graph/csr.js';
import { args, machine, sbmScenario, seconds } from './_common.js';

const a = args();
const quick = a.has('quick');
const scenario = sbmScenario(Number(a.get('blocks') ?? (quick ? 4 : 200)), quick ? 100 : 1000);
const reps = Number(a.get('reps') ?? (quick ? 8 : 128));
const rounds = Number(a.get('rounds') ?? (quick ? 1 : 3));
const graph = shareGraph(buildGraph(scenario, true));
const plan = buildPlan(scenario, graph, undefined, { prepareEstimators: false });
const init = { scenario, graph, clusterings: shareClusterings(plan.clusterings) };

async function throughput(workers: number): Promise<{ workers: number; repsPerSecond: number; seconds: number }> {
  const pool = await ReplicationPool.start(workers, init);
  try {
    const range = (from: number, k: number) => Array.from({ length: k }, (_, i) => from + i);
    await pool.run(range(0, 16 * workers), () => {}); // warm up every worker's JIT, batch path included
    const t0 = performance.now();
    await pool.run(range(1000, reps), () => {});
    const s = seconds(t0);
    return { workers, repsPerSecond: +(reps / s).toFixed(1), seconds: +s.toFixed(2) };
  } finally {
    await pool.close();
  }
}

const results: { one: Awaited<ReturnType<typeof throughput>>; two: Awaited<ReturnType<typeof throughput>>; speedup: number }[] = [];
for (let k = 0; k < rounds; k++) {
  const one = await throughput(1);
  const two = await throughput(2);
  results.push({ one, two, speedup: +(two.repsPerSecond / one.repsPerSecond).toFixed(2) });
}
const sorted = results.map((r) => r.speedup).sort((x, y) => x - y);
console.log(
  JSON.stringify(
    { bench: 'workers', machine: machine(), nodes: graph.csr.n, edges: edgeCount(graph.csr), reps, rounds: results, medianSpeedup: sorted[Math.floor(sorted.length / 2)] },
    null,
    2,
  ),
);
