// (c) Louvain clusters for the reference SBM, graph building included:
// spillover (SBM straight to CSR, or the edge-list file through the loader,
// then the typed-array Louvain) against python-igraph (read the same edge
// list + multilevel). graphology's Graph build is timed too, for the record.
//   node dist/bench/louvain.js [--blocks 200] [--graphology] [--quick]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGraph } from '../src/sim/build-graph.js';
import { loadGraph } from '../src/graph/load/index.js';
import { louvainCSR } from '../src/design/louvain-csr.js';
import { toGraphology } from '../src/graph/graphology.js';
import { edgeCount, type CSR } from '../src/graph/csr.js';
import { stream } from '../src/random/streams.js';
import { args, machine, PYTHON, sbmScenario, seconds } from './_common.js';

const a = args();
const quick = a.has('quick');
const scenario = sbmScenario(Number(a.get('blocks') ?? (quick ? 4 : 200)), quick ? 100 : 1000);

function edgeListText(g: CSR): string {
  const parts: string[] = [];
  for (let i = 0; i < g.n; i++) for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) if (g.nbrs[k]! > i) parts.push(`${i} ${g.nbrs[k]}`);
  return parts.join('\n') + '\n';
}

let t0 = performance.now();
const generated = buildGraph(scenario).csr;
const generate = seconds(t0);
t0 = performance.now();
const fromGenerated = louvainCSR(generated, { rng: stream(1, 'louvain') });
const clusterGenerated = seconds(t0);

const dir = mkdtempSync(join(tmpdir(), 'spillover-louvain-'));
const file = join(dir, 'sbm.txt');
writeFileSync(file, edgeListText(generated));
t0 = performance.now();
const loaded = loadGraph({ path: file }).graph.csr;
const load = seconds(t0);
t0 = performance.now();
const fromLoaded = louvainCSR(loaded, { rng: stream(1, 'louvain') });
const clusterLoaded = seconds(t0);

let igraph: Record<string, number | string> | null = null;
const py = spawnSync(PYTHON, [join(import.meta.dirname, '../../bench/peer_igraph.py'), file], { encoding: 'utf8' });
if (py.status === 0) igraph = JSON.parse(py.stdout);
else
  process.stderr.write(
    `peer_igraph.py did not run (${py.error?.message ?? py.stderr.trim().split('\n').at(-1)}); install python3-igraph\n`,
  );
rmSync(dir, { recursive: true, force: true });

let graphologyBuild: number | null = null;
if (a.has('graphology') || quick) {
  t0 = performance.now();
  toGraphology(generated);
  graphologyBuild = +seconds(t0).toFixed(2);
}

const r2 = (x: number) => +x.toFixed(2);
console.log(
  JSON.stringify(
    {
      bench: 'louvain',
      machine: machine(),
      nodes: generated.n,
      edges: edgeCount(generated),
      spillover: {
        generateSeconds: r2(generate),
        clusterSeconds: r2(clusterGenerated),
        totalSeconds: r2(generate + clusterGenerated),
        modularity: +fromGenerated.modularity.toFixed(4),
        communities: fromGenerated.count,
        fromFile: {
          loadSeconds: r2(load),
          clusterSeconds: r2(clusterLoaded),
          totalSeconds: r2(load + clusterLoaded),
          modularity: +fromLoaded.modularity.toFixed(4),
        },
      },
      igraph: igraph && {
        loadSeconds: r2(igraph.load_s as number),
        clusterSeconds: r2(igraph.cluster_s as number),
        totalSeconds: r2(igraph.total_s as number),
        modularity: +(igraph.modularity as number).toFixed(4),
        version: igraph.igraph,
      },
      graphologyBuildSeconds: graphologyBuild,
    },
    null,
    2,
  ),
);
