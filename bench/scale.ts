// (d) Scale: generate an SBM (default 1,000 blocks of 1,000: 1,000,000 users,
// about 10,000,000 friendships), cluster it with Louvain, and simulate
// replications in the worker pool; prints times and the peak resident set
// (this process and its worker threads).
//   /usr/bin/time -v node dist/bench/scale.js [--blocks 1000] [--reps 100] [--workers 2] [--quick]
// With --phases, only the set-up, on this thread and timed part by part, as
// a set-up thread builds it: the graph (generation and CSR), then each
// design's part (the Louvain design's includes Louvain); for a CPU profile:
//   node --cpu-prof dist/bench/scale.js --blocks 10000 --phases
import { availableParallelism } from 'node:os';
import { runParallel } from '../src/sim/parallel.js';
import { buildDesignPart, buildGraphPart, estimatorGroups } from '../src/sim/setup.js';
import { edgeCount } from '../src/graph/csr.js';
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

/** CPU seconds (user + system, all threads of this process) since `c0`. */
const cpu = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return +((c.user + c.system) / 1e6).toFixed(1);
};

if (a.has('phases')) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const graph = buildGraphPart(scenario);
  const generate = { seconds: +seconds(t0).toFixed(1), cpuSeconds: cpu(c0) };
  const groups = estimatorGroups(scenario);
  const designs = scenario.designs.map((d, i) =>
    groups.map((g) => {
      const t = performance.now();
      const c = process.cpuUsage();
      const part = buildDesignPart(scenario, graph, i, g);
      return {
        design: d.name,
        estimators: g.map((j) => estimators[j]),
        seconds: +seconds(t).toFixed(1),
        cpuSeconds: cpu(c),
        units: part.info.design.units,
      };
    }),
  );
  console.log(
    JSON.stringify(
      {
        bench: 'scale-phases',
        machine: machine(),
        nodes: graph.csr.n,
        edges: edgeCount(graph.csr),
        generate,
        designs: designs.flat(),
        totalSeconds: +seconds(t0).toFixed(1),
        cpuSeconds: cpu(c0),
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      null,
      2,
    ),
  );
} else {
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let mark = t0;
  const run = await runParallel(scenario, {
    workers,
    onStart: () => {
      phases.setupSeconds = +seconds(mark).toFixed(1); // graph, then the designs' parts (Louvain), in set-up threads
      phases.setupCpuSeconds = cpu(c0);
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
        cpuSeconds: cpu(c0),
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      null,
      2,
    ),
  );
}
