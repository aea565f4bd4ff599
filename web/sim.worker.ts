// A Web Worker running replications with the command line's own code (plan,
// replicator): every worker builds the same plan from the scenario, so any
// worker can run any replication and the rows do not depend on which did.
import * as Comlink from 'comlink';
import { parseScenario } from '../src/sim/parse-scenario.js';
import { buildPlan, type Plan } from '../src/sim/plan.js';
import { replicator, type Row } from '../src/sim/replicate.js';
import { doseOf } from '../src/design/index.js';
import { stream } from '../src/random/streams.js';
import * as names from '../src/random/names.js';

export interface GraphPicture {
  n: number;
  offsets: Uint32Array;
  nbrs: Uint32Array;
  /** true community of each user (block models), else null */
  blocks: Int32Array | null;
}

export interface DesignPicture {
  name: string;
  type: string;
  units: number;
  /** mean share of friends inside one's own unit (partition designs) */
  partition: boolean;
}

export interface Assignment {
  /** share of each user's units treated: 0 or 1, fractional for thread designs */
  dose: Float64Array;
  /** each user's unit (cluster) for partition designs with more than one user per unit, else null */
  cluster: Int32Array | null;
}

let plan: Plan | null = null;
let rep: ((r: number) => Row[]) | null = null;

const api = {
  /** Build the plan; returns the graph only when asked (one worker draws it). */
  init(input: unknown, withGraph: boolean): { graph: GraphPicture | null; designs: DesignPicture[]; replications: number } {
    const scenario = parseScenario(input, 'page scenario');
    plan = buildPlan(scenario);
    rep = replicator(plan);
    const { csr, blocks } = plan.graph;
    const graph = withGraph
      ? { n: csr.n, offsets: csr.offsets.slice(), nbrs: csr.nbrs.slice(), blocks: blocks ? blocks.slice() : null }
      : null;
    const designs = plan.designs.map(({ design }) => ({
      name: design.name,
      type: design.type,
      units: design.units.count,
      partition: design.units.partition,
    }));
    const out = { graph, designs, replications: scenario.replications };
    return graph ? Comlink.transfer(out, [graph.offsets.buffer, graph.nbrs.buffer]) : out;
  },

  /** Replications [from, to). */
  run(from: number, to: number): Row[] {
    if (!rep) throw new Error('worker not initialised');
    const rows: Row[] = [];
    for (let r = from; r < to; r++) rows.push(...rep(r));
    return rows;
  },

  /** An example assignment of one design, for the picture (its own stream, k-th draw). */
  assignment(designName: string, k: number): Assignment {
    const pd = plan?.designs.find((d) => d.design.name === designName);
    if (!plan || !pd) throw new Error(`no design ${designName}`);
    const { design } = pd;
    const z = new Uint8Array(design.units.count);
    const info = design.drawUnits(stream(plan.scenario.seed, ...names.page(k, design.name)), z) ?? null;
    const dose = doseOf(design.units, z, new Float64Array(plan.graph.csr.n));
    let cluster: Int32Array | null = null;
    if (info && 'labels' in info) cluster = info.labels.slice();
    else if (design.units.partition && design.units.count < plan.graph.csr.n) cluster = Int32Array.from(design.units.list);
    return Comlink.transfer({ dose, cluster }, cluster ? [dose.buffer, cluster.buffer] : [dose.buffer]);
  },
};

export type SimApi = typeof api;
Comlink.expose(api);
