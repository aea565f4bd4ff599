// (d) Scale: generate an SBM (default 1,000 blocks of 1,000: 1,000,000 users,
// about 10,000,000 friendships), cluster it with Louvain, and simulate
// replications in the worker pool; prints times and the peak resident set
// (this process and its worker threads).
//   /usr/bin/time -v node dist/bench/scale.js [--blocks 1000] [--reps 100] [--workers 2] [--quick]
import { availableParallelism } from 'node:os';
import { runParallel } from '../src/sim/parallel.js';
import { args, machine, sbmScenario, seconds } from './_common.js';

const a = args();
const quick = a.has('quick');
const blocks = Number(a.get('blocks') ?? (quick ? 4 : 1000));
const reps = Number(a.get('reps') ?? (quick ? 4 : 100));
const workers = Number(a.get('workers') ?? availableParallelism());
const estimators = (a.get('estimators') ?? 'dm,cluster-dm').split(',');
const scenario = sbmScenario(blocks, quick ? 100 : 1000, {
  replications: reps,
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } },
  ],
  estimators,
});

const phases: Record<string, number> = {};
const t0 = performance.now();
let mark = t0;
const run = await runParallel(scenario, {
  workers,
  onStart: () => {
    phases.setupSeconds = +seconds(mark).toFixed(1); // graph + Louvain (main thread)
    mark = performance.now();
  },
});
phases.replicationSeconds = +seconds(mark).toFixed(1); // worker start, plans, replications
const d = run.results?.designs.find((x) => x.name === 'louvain');
console.log(
  JSON.stringify(
    {
      bench: 'scale',
      machine: machine(),
      nodes: run.results?.graph.nodes,
      edges: run.results?.graph.edges,
      louvainClusters: d?.units,
      withinClusterShare: d?.withinClusterShare,
      replications: run.done,
      workers,
      estimators,
      ...phases,
      totalSeconds: +seconds(t0).toFixed(1),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    2,
  ),
);
