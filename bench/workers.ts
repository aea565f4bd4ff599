// (b) Throughput of the worker pool with 1 and 2 workers on the same plan
// (graph in SharedArrayBuffers, clusterings shipped once). Rounds alternate
// 1 and 2 workers so a busy machine disturbs both alike; the median speedup
// over rounds is reported, next to a control: the speedup of a plain CPU
// loop in 1 vs 2 threads at the same moment (what the machine can give).
// (c) End to end, set-up included: every shipped scenario run by the CLI
// with --workers 1, 2 and auto (the default; in turn, `--e2e-rounds` times),
// the median speedups per scenario next to the control at the same moments.
//   node dist/bench/workers.js [--blocks 200] [--reps 1024] [--rounds 7] [--e2e-rounds 3] [--quick]
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph } from '../src/sim/build-graph.js';
import { buildPlan } from '../src/sim/plan.js';
import { shareClusterings, shareGraph } from '../src/sim/shared.js';
import { ReplicationPool } from '../src/sim/pool.js';
import { edgeCount } from '../src/graph/csr.js';
import { args, machine, sbmScenario, seconds } from './_common.js';

const a = args();
const quick = a.has('quick');
const scenario = sbmScenario(Number(a.get('blocks') ?? (quick ? 4 : 200)), quick ? 100 : 1000);
const reps = Number(a.get('reps') ?? (quick ? 8 : 1024));
const rounds = Number(a.get('rounds') ?? (quick ? 1 : 7));
const graph = shareGraph(buildGraph(scenario, true));
const plan = buildPlan(scenario, graph, undefined, { prepareEstimators: false });
const init = { scenario, graph, clusterings: shareClusterings(plan.clusterings) };

async function throughput(workers: number): Promise<{ workers: number; repsPerSecond: number; seconds: number }> {
  const pool = (await ReplicationPool.start(workers, init))!; // null only when aborted
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

/** Seconds for `threads` threads to each run the same fixed CPU loop. */
function spin(threads: number, iterations: number): Promise<number> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
    let x = 0; const a = new Float64Array(65536);
    for (let i = 0; i < workerData; i++) { x = (x * 1.0000001 + a[i & 65535]) % 1e9; a[i & 65535] = x; }
    parentPort.postMessage(x);`;
  const t0 = performance.now();
  return Promise.all(
    Array.from(
      { length: threads },
      () => new Promise((done) => new Worker(code, { eval: true, workerData: iterations }).once('message', done)),
    ),
  ).then(() => seconds(t0));
}

async function control(): Promise<number> {
  const iterations = quick ? 1e6 : 5e7;
  const one = await spin(1, iterations);
  const two = await spin(2, iterations);
  return +((2 * one) / two).toFixed(2);
}

const results: {
  one: Awaited<ReturnType<typeof throughput>>;
  two: Awaited<ReturnType<typeof throughput>>;
  speedup: number;
  controlSpeedup: number;
}[] = [];
for (let k = 0; k < rounds; k++) {
  const one = await throughput(1);
  const two = await throughput(2);
  results.push({ one, two, speedup: +(two.repsPerSecond / one.repsPerSecond).toFixed(2), controlSpeedup: await control() });
}
const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];

// (c) end to end: replications per scenario chosen so set-up is part of the time, not all of it
const E2E_REPS: Record<string, number> = { 'group-calls.json': 64, 'group-stories.json': 64, 'torus-rgcr.json': 200 };
const root = join(import.meta.dirname, '../..');
const cliBin = join(root, 'dist/src/cli/bin.js');
function endToEnd(file: string, workers: number | 'auto', reps: number): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [
    cliBin,
    'run',
    join(root, 'scenarios', file),
    '--reps',
    String(reps),
    '--workers',
    String(workers),
    '--quiet',
  ]);
  if (r.status !== 0) throw new Error(`${file} with ${workers} workers failed: ${r.stderr}`);
  return seconds(t0);
}
const e2eRounds = Number(a.get('e2e-rounds') ?? (quick ? 1 : 3));
const scenarioFiles = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .slice(0, quick ? 1 : undefined);
const e2e = [];
for (const file of scenarioFiles) {
  const reps = quick ? 2 : (E2E_REPS[file] ?? 1000);
  const rounds: { one: number; two: number; auto: number; speedup: number; autoSpeedup: number; controlSpeedup: number }[] = [];
  for (let k = 0; k < e2eRounds; k++) {
    const one = endToEnd(file, 1, reps);
    const two = endToEnd(file, 2, reps);
    const auto = endToEnd(file, 'auto', reps); // the default
    rounds.push({
      one: +one.toFixed(2),
      two: +two.toFixed(2),
      auto: +auto.toFixed(2),
      speedup: +(one / two).toFixed(2),
      autoSpeedup: +(one / auto).toFixed(2),
      controlSpeedup: await control(),
    });
  }
  e2e.push({
    scenario: file,
    reps,
    rounds,
    medianSpeedup: median(rounds.map((r) => r.speedup)),
    medianAutoSpeedup: median(rounds.map((r) => r.autoSpeedup)),
    medianControlSpeedup: median(rounds.map((r) => r.controlSpeedup)),
  });
}
console.log(
  JSON.stringify(
    {
      bench: 'workers',
      machine: machine(),
      nodes: graph.csr.n,
      edges: edgeCount(graph.csr),
      reps,
      rounds: results,
      medianSpeedup: median(results.map((r) => r.speedup)),
      medianControlSpeedup: median(results.map((r) => r.controlSpeedup)),
      endToEnd: e2e,
    },
    null,
    2,
  ),
);
