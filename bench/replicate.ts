// (a) Replications per second on one core, spillover against the NumPy/SciPy
// peer (bench/peer_numpy.py) on the same graph, side by side in one run.
//   node dist/bench/replicate.js [--blocks 200] [--seconds 10] [--quick]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGraph } from '../src/sim/build-graph.js';
import { buildPlan } from '../src/sim/plan.js';
import { batchReplicator } from '../src/sim/replicate-batch.js';
import { edgeCount } from '../src/graph/csr.js';
import { args, machine, PYTHON, rate, sbmScenario, seconds } from './_common.js';

const a = args();
const quick = a.has('quick');
const blocks = Number(a.get('blocks') ?? (quick ? 4 : 200));
const blockSize = quick ? 100 : 1000;
const budget = Number(a.get('seconds') ?? (quick ? 0.2 : 10));

const scenario = sbmScenario(blocks, blockSize);
let t0 = performance.now();
const graph = buildGraph(scenario);
const plan = buildPlan(scenario, graph);
// the workers' path: batches of 32 replications (see src/sim/replicate-batch.ts)
const run = batchReplicator(plan);
const setup = seconds(t0);
const { n } = graph.csr;
const BATCH = 32;
let next = 0;
const batch = () => {
  run(
    Array.from({ length: BATCH }, (_, i) => next + i),
    () => {},
  );
  next += BATCH;
};
batch(); // warm up the JIT
const c0 = process.cpuUsage();
const timed = rate(batch, budget, 1);
const c1 = process.cpuUsage(c0);
const cpu = (c1.user + c1.system) / 1e6; // this process's CPU over the timed loop: the per-core figure on a loaded machine
const ours = { calls: timed.calls * BATCH, seconds: timed.seconds, perSecond: timed.perSecond * BATCH, cpuSeconds: cpu };

let peer: { reps_per_s: number; reps_per_cpu_s: number; cpu_s: number; numpy: string; scipy: string } | null = null;
if (!a.has('no-peer')) {
  const dir = mkdtempSync(join(tmpdir(), 'spillover-bench-'));
  writeFileSync(join(dir, 'offsets.u32'), graph.csr.offsets);
  writeFileSync(join(dir, 'nbrs.u32'), graph.csr.nbrs);
  const r = spawnSync(PYTHON, [join(import.meta.dirname, '../../bench/peer_numpy.py'), '--csr', dir, '--seconds', String(budget)], {
    encoding: 'utf8',
  });
  rmSync(dir, { recursive: true, force: true });
  if (r.status === 0) peer = JSON.parse(r.stdout);
  else
    process.stderr.write(
      `peer_numpy.py did not run (${r.error?.message ?? r.stderr.trim().split('\n').at(-1)}); install python3-numpy python3-scipy\n`,
    );
}

const result = {
  bench: 'replicate',
  machine: machine(),
  nodes: n,
  edges: edgeCount(graph.csr),
  setupSeconds: +setup.toFixed(2),
  spillover: {
    reps: ours.calls,
    seconds: +ours.seconds.toFixed(2),
    repsPerSecond: +ours.perSecond.toFixed(1),
    cpuSeconds: +ours.cpuSeconds.toFixed(2),
    repsPerCpuSecond: +(ours.calls / ours.cpuSeconds).toFixed(1),
  },
  numpy: peer
    ? {
        repsPerSecond: +peer.reps_per_s.toFixed(1),
        cpuSeconds: +peer.cpu_s.toFixed(2),
        repsPerCpuSecond: +peer.reps_per_cpu_s.toFixed(1),
        versions: `numpy ${peer.numpy}, scipy ${peer.scipy}`,
      }
    : null,
  ratio: peer ? +(ours.perSecond / peer.reps_per_s).toFixed(2) : null,
  // the same per CPU second of each side (each process, all its threads): steadier than wall rates when other processes share the cores
  cpuRatio: peer ? +(ours.calls / ours.cpuSeconds / peer.reps_per_cpu_s).toFixed(2) : null,
};
t0 = performance.now();
console.log(JSON.stringify(result, null, 2));
