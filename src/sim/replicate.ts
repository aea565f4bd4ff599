// One replication: draw the model's randomness, compute the truth from both
// worlds, then for every design draw an assignment, simulate outcomes and
// apply every estimator. Every draw comes from a stream named by
// (seed, replication, purpose), so the rows depend only on (scenario, r).
import { stream } from '../random/streams.js';
import { doseOf } from '../design/index.js';
import { globalEffect } from '../model/index.js';
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
  const ys = model.metrics.map(() => new Float64Array(n));
  const unitZ = plan.designs.map((d) => new Uint8Array(d.design.units.count));
  const fin = (x: number) => (Number.isFinite(x) ? x : null);

  return (r) => {
    const rng = (purpose: string) => stream(scenario.seed, 'rep', r, purpose);
    const draw = model.draw(rng);
    const truth = globalEffect(model, draw, n);
    const rows: Row[] = [];
    plan.designs.forEach((pd, di) => {
      const z = unitZ[di]!;
      pd.design.drawUnits(stream(scenario.seed, 'rep', r, 'assign', pd.design.name), z);
      doseOf(pd.design.units, z, dose);
      model.outcomes(draw, dose, ys);
      const memo = new Map<string, unknown>();
      model.metrics.forEach((metric, k) => {
        const data = { dose, unitZ: z, y: ys[k]!, memo };
        for (const est of pd.estimators) {
          const e = est.run(data);
          rows.push({ rep: r, design: pd.design.name, estimator: est.id, metric, truth: truth[k]!, estimate: fin(e.estimate), se: fin(e.se), df: Number.isFinite(e.estimate) ? (Number.isFinite(e.df) ? e.df : null) : null });
        }
      });
    });
    return rows;
  };
}
