// The rows of a saved run, recomputed from the scenario it records: exact,
// because every replication is a function of (scenario, r).
import { parseScenario } from './scenario.js';
import { buildPlan } from './plan.js';
import { replicator, type Row } from './replicate.js';
import type { Results } from './run.js';

/** Recompute the rows of a saved run (serially, reporting progress). */
export function rerunRows(results: Results, onRep?: (done: number, total: number) => void): Row[] {
  const scenario = parseScenario(results.scenario, 'the scenario in the results file');
  const rep = replicator(buildPlan(scenario));
  const rows: Row[] = [];
  for (let r = 0; r < scenario.replications; r++) {
    rows.push(...rep(r));
    onRep?.(r + 1, scenario.replications);
  }
  return rows;
}
