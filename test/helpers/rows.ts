// Replications run in this process and the plain statistics tests read off
// them: mean, SD, the share of intervals (t with the row's df) covering the
// row's truth.
import type { Row } from '../../src/sim/replicate.js';
import { replicator } from '../../src/sim/replicate.js';
import { buildPlan } from '../../src/sim/plan.js';
import type { parseScenario } from '../../src/sim/parse-scenario.js';
import { tQuantile } from '../../src/estimate/stats.js';

/** The rows of replications 0 … R − 1. */
export function rows(s: ReturnType<typeof parseScenario>, R: number): Row[] {
  const rep = replicator(buildPlan(s));
  const out: Row[] = [];
  for (let r = 0; r < R; r++) out.push(...rep(r));
  return out;
}

/** Mean and SD of the estimates, and the coverage of their intervals (rows all defined, with an SE). */
export function stats(rs: Row[]) {
  const e = rs.map((r) => r.estimate!);
  const R = e.length;
  const mean = e.reduce((a, b) => a + b, 0) / R;
  const sd = Math.sqrt(e.reduce((a, b) => a + (b - mean) ** 2, 0) / (R - 1));
  const cover = rs.filter((r) => Math.abs(r.estimate! - r.truth) <= tQuantile(0.975, r.df ?? Infinity) * r.se!).length / R;
  return { mean, sd, cover, R, truth: rs[0]!.truth };
}
