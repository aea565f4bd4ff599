// RGCR exposure probabilities with joint probabilities of every dependent
// pair, from every drawn clustering (no work budget), as Ugander & Yin's
// code (`estimate_rgcr_expo_prob`) computes them: the paper's code's
// figures, measured on this machine with 2 threads, are in bench/README.md.
//
//   node dist/bench/rgcr-joints.js [--graph torus32|SW16|...|SW96] [--method net|one-hop-max] [--draws 10000] [--quick]
// prints one JSON object.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { args, machine, seconds } from './_common.js';
import { parseScenario } from '../src/sim/scenario.js';
import { buildGraph } from '../src/sim/build-graph.js';
import { createDesign } from '../src/design/index.js';
import { stream } from '../src/random/streams.js';
import { exposureMapping } from '../src/estimate/exposure/index.js';
import { monteCarlo } from '../src/estimate/exposure/monte-carlo.js';
import { pairsWithin } from '../src/estimate/exposure/within.js';
import { randomClusteringOf } from '../src/design/design.js';

const a = args();
const quick = a.has('quick');
const name = a.get('graph') ?? 'torus32';
const method = a.get('method') ?? 'net';
const draws = Number(a.get('draws') ?? (quick ? 40 : 10_000));
const here = fileURLToPath(new URL('.', import.meta.url));
const graphSpec =
  name === 'torus32'
    ? { generator: 'torus', side: quick ? 8 : 32, radius: 1, longRangeMean: 1 }
    : { file: resolve(here, '../../data/rgcr-small-world', `${name}.txt`) };
const scenario = parseScenario({
  seed: 2023,
  replications: 2,
  graph: graphSpec,
  model: { type: 'ugander-yin', tau: 0.5 },
  designs: [
    { type: 'rgcr', name: 'rgcr', p: 0.5, clustering: method === 'net' ? { method: 'net', radius: 3 } : { method: 'one-hop-max' } },
  ],
  estimators: ['ht'],
});
const graph = buildGraph(scenario);
const g = graph.csr;
const design = createDesign({ graph, rng: (q) => stream(scenario.seed, 'design', 'rgcr', q) }, scenario.designs[0]!);
const rc = randomClusteringOf(design)!;
const mapping = exposureMapping({ kind: 'full' });
let t0 = performance.now();
const reach = 1 + rc.dependenceRadius;
// every pair whose balls of radius `reach` meet, as the pipeline lists them (within.ts)
const pairs = Number.isFinite(reach) ? pairsWithin(g, 2 * reach) : null;
const pairSeconds = seconds(t0);
t0 = performance.now();
const cpu0 = process.cpuUsage();
const r = monteCarlo(g, design, mapping, { draws, batches: 20, seed: scenario.seed, marginals: true, pairs });
const mcSeconds = seconds(t0);
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const h = createHash('sha256');
for (const a of [r.p1!, r.p0!, ...(r.joint ? [r.joint.p11, r.joint.p00, r.joint.p10, r.joint.p01] : [])])
  h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
let se = 0;
for (const s of r.jointSE!.se11) se += s;
console.log(
  JSON.stringify({
    bench: 'rgcr-joints',
    machine: machine(),
    graph: name,
    nodes: g.n,
    method,
    draws: r.draws,
    jointDraws: r.jointDraws,
    pairs: pairs?.other.length ?? 0,
    pairSeconds,
    seconds: mcSeconds,
    cpuSeconds,
    msPerClustering: (1000 * mcSeconds) / r.draws,
    nsPerPairDraw: (1e9 * mcSeconds) / r.draws / Math.max(1, pairs?.other.length ?? 0),
    meanSE11: se / Math.max(1, r.jointSE!.se11.length),
    sha256: h.digest('hex').slice(0, 16),
  }),
);
