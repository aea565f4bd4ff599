// `spillover run <product scenario> --by-day R` (issue 17): everything by day
// over the run's first R replications (the same model draws and assignments,
// streams (seed, "rep", r, …)): daysByDesign (readout-days.ts) on the
// scenario's designs with the difference in means, and its text: the
// readout's days table (formatDays) and, with adoption on, the adoption
// curves at a few days.
import Table from 'cli-table3';
import { UserError } from '../errors.js';
import { isProductType } from '../model/index.js';
import type { Scenario } from '../sim/parse-scenario.js';
import { buildPlan } from '../sim/plan.js';
import { daysByDesign, type Curve, type Days } from './readout-days.js';
import { formatDays } from './readout-text.js';

/** Refuse --by-day where it cannot be computed (before the run starts). */
export function checkByDay(scenario: Scenario, reps: number): void {
  if (!isProductType(scenario.model.type))
    throw new UserError(
      `--by-day needs a product model (group-calls or group-stories): it reads the model's daily series day by day, and this scenario's model "${scenario.model.type}" has no days`,
      'EARG',
    );
  if (reps > scenario.replications)
    throw new UserError(
      `--by-day ${reps} is more than the run's ${scenario.replications} replications: it reads the run's first R replications (use --by-day ${scenario.replications} or fewer, or more --reps)`,
      'EARG',
    );
}

/** daysByDesign over replications 0..reps−1 of the run of `scenario` (difference in means for every design). */
export function byDay(scenario: Scenario, reps: number): Days {
  checkByDay(scenario, reps);
  return daysByDesign(buildPlan({ ...scenario, estimators: ['dm'] }), reps);
}

const style = { head: [], border: [], compact: true };
const share = (c: Curve, d: number) => (Number.isFinite(c.share[d]!) ? `${(100 * c.share[d]!).toFixed(1)}%` : '—');

/** The adoption curves at days 0, 6, 13, 20, 27 and the last; '' without adoption. */
export function formatAdoptionDays(x: Days): string {
  if (!x.adoption) return '';
  const days = [...new Set([0, 6, 13, 20, 27, x.horizon - 1].filter((d) => d < x.horizon))];
  const t = new Table({ head: ['adopted by day', ...days.map(String)], style, colAligns: ['left', ...days.map(() => 'right' as const)] });
  for (const g of x.designs) {
    if (!g.adoption) continue;
    t.push([`${g.design} treatment arm`, ...days.map((d) => share(g.adoption!.treatment, d))]);
    t.push([`${g.design} control arm`, ...days.map((d) => share(g.adoption!.control, d))]);
  }
  t.push(['all treated*', ...days.map((d) => share(x.adoption!.allTreated, d))]);
  t.push(['all control*', ...days.map((d) => share(x.adoption!.allControl, d))]);
  return [
    `adoption: share of users using the feature (adopted, not lapsed) at the end of the day, mean over ${x.replications} replications (* the truth's two worlds; arms: dose 1 and dose 0)`,
    t.toString(),
  ].join('\n');
}

/** What run --by-day prints: the days table and the adoption curves. */
export function formatByDay(x: Days): string {
  const a = formatAdoptionDays(x);
  return formatDays(x) + (a ? '\n\n' + a : '');
}
