// One replication: draw the model's randomness, compute the truth from both
// worlds, then for every design draw an assignment, simulate outcomes and
// apply every estimator. Every draw comes from a stream named by
// (seed, replication, purpose), so the rows depend only on (scenario, r).
import { stream } from '../random/streams.js';
import { fastStream } from '../random/fast.js';
import { doseOf } from '../design/index.js';
import { globalEffect, outcomeBuffers } from '../model/index.js';
import type { Plan } from './plan.js';

/** One estimate in the long results table. */
export interface Row {
  rep: number;
  design: string;
  estimator: string;
  metric: string;
  truth: number;
  /** null when undefined in this replication */
  estimate: number | null;
  se: number | null;
  df: number | null;
}

export function replicator(plan: Plan): (r: number) => Row[] {
  const n = plan.graph.csr.n;
  const { model, scenario } = plan;
  const dose = new Float64Array(n);
  const out = outcomeBuffers(model, n);
  const unitZ = plan.designs.map((d) => new Uint8Array(d.design.units.count));

  // A model whose effect does not depend on its draw has its truth simulated
  // (both worlds) once, from a draw of its own stream, not every replication.
  const fixedTruth = model.drawFreeEffect ? globalEffect(model, model.draw((p) => stream(scenario.seed, 'truth', p)), n) : null;

  return (r) => {
    // per-replication draws (n numbers each) come from fast streams, see fast.ts
    const rng = (purpose: string) => fastStream(scenario.seed, 'rep', r, purpose);
    const draw = model.draw(rng);
    const truth = fixedTruth ?? globalEffect(model, draw, n);
    const rows: Row[] = [];
    plan.designs.forEach((pd, di) => {
      const z = unitZ[di]!;
      const info = pd.design.drawUnits(fastStream(scenario.seed, 'rep', r, 'assign', pd.design.name), z) ?? null;
      doseOf(pd.design.units, z, dose);
      const threadOn = pd.design.type === 'thread' ? z.subarray(0, plan.graph.threads!.count) : null;
      model.outcomes(draw, { dose, threadOn }, out.num, out.den);
      const memo = new Map<string, unknown>();
      model.metrics.forEach((metric, k) => {
        const data = { dose, unitZ: z, y: out.num[k]!, den: metric.ratio ? out.den[k]! : null, memo, draw: info };
        const c = metric.scale;
        for (const est of pd.estimators) {
          const e = est.run(data);
          const ok = Number.isFinite(e.estimate);
          rows.push({
            rep: r,
            design: pd.design.name,
            estimator: est.id,
            metric: metric.name,
            truth: truth[k]!,
            estimate: ok ? c * e.estimate : null,
            se: ok && Number.isFinite(e.se) ? c * e.se : null,
            df: ok && Number.isFinite(e.df) ? e.df : null,
          });
        }
      });
    });
    return rows;
  };
}
