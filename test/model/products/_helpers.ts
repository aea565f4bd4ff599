// Small worlds for the product-model tests.
import { csrFromEdges, threadsFromLists, type SocialGraph } from '../../../src/graph/csr.js';
import { createModel, outcomeBuffers, type OutcomeModel } from '../../../src/model/index.js';
import { stream } from '../../../src/random/streams.js';
import type { ProductModel } from '../../../src/model/products/product.js';
import { parseScenario } from '../../../src/sim/scenario.js';
import { buildPlan } from '../../../src/sim/plan.js';
import { replicator, type Row } from '../../../src/sim/replicate.js';

/** Graph from edges plus thread member lists. */
export function graphWith(n: number, edges: [number, number][], threads: number[][]): SocialGraph {
  const { csr } = csrFromEdges(
    n,
    edges.map((e) => e[0]),
    edges.map((e) => e[1]),
  );
  return { csr, threads: threadsFromLists(n, threads) };
}

/** A clique on the given users. */
export function clique(users: number[]): [number, number][] {
  const e: [number, number][] = [];
  for (let a = 0; a < users.length; a++) for (let b = a + 1; b < users.length; b++) e.push([users[a]!, users[b]!]);
  return e;
}

export function model(graph: SocialGraph, spec: Record<string, unknown>): ProductModel<unknown> {
  const s = parseScenario({
    graph: { generator: 'barabasi-albert', n: 10, m: 1 },
    model: spec,
    designs: [{ type: 'user-bernoulli', p: 0.5 }],
  });
  return createModel({ graph }, s.model) as ProductModel<unknown>;
}

/** Outcomes of one world (everyone treated when on) with the draw of seed. */
export function world(m: OutcomeModel<any>, n: number, on: boolean, seed = 1) {
  const draw = m.draw((p) => stream(seed, p));
  const out = outcomeBuffers(m, n);
  m.outcomes(draw, { dose: new Float64Array(n).fill(on ? 1 : 0), threadOn: null }, out.num, out.den);
  return { draw, ...out, value: (name: string) => out.num[m.metrics.findIndex((x) => x.name === name)]! };
}

/** Monte Carlo rows of a scenario spec (graph generated from the spec). */
export function monteCarlo(spec: Record<string, unknown>): Row[] {
  const scenario = parseScenario(spec);
  const rep = replicator(buildPlan(scenario));
  const rows: Row[] = [];
  for (let r = 0; r < scenario.replications; r++) rows.push(...rep(r));
  return rows;
}

/** Mean and Monte Carlo SE of estimate - truth over replications. */
export function errorOf(rows: Row[], design: string, metric: string, estimator = 'dm') {
  const e = rows
    .filter((r) => r.design === design && r.metric === metric && r.estimator === estimator && r.estimate !== null)
    .map((r) => r.estimate! - r.truth);
  const t = rows.filter((r) => r.design === design && r.metric === metric && r.estimator === estimator).map((r) => r.truth);
  const m = e.reduce((s, x) => s + x, 0) / e.length;
  const v = e.reduce((s, x) => s + (x - m) ** 2, 0) / (e.length - 1);
  return { bias: m, se: Math.sqrt(v / e.length), truth: t.reduce((s, x) => s + x, 0) / t.length, k: e.length };
}
