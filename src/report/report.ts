// The run report: one self-contained HTML page per Results, with the tables
// (numbers exactly as in the JSON) and the charts rendered to inline SVG.
// Browser-safe: the page could build it too; writing the file is write.ts.
import type { Results } from '../sim/run.js';
import type { Row } from '../sim/replicate.js';
import { histograms, metricsOf } from './bins.js';
import {
  adoptionChart,
  biasSdChart,
  byDayChart,
  coverageChart,
  estimatesChart,
  liftByDayChart,
  sweepChart,
  type DayLift,
} from './charts/index.js';
import type { Days } from './readout-days.js';
import { STABLE_WINDOW } from './readout.js';
import { toSvg } from './render.js';
import { designsTable, diagnosisTable, esc, figure, fmt, page, plainTable, undefinedList } from './html.js';
import type { SweepRow, SweepValue } from '../sim/sweep.js';
import { decimalsFor, FEW_REPLICATIONS } from './table.js';

/**
 * Optional sections for the product cases. A Results object that carries
 * `byDay` or `readout` fields of these shapes gets them too, so a product
 * run can add them without a new API.
 */
export interface ReportExtras {
  byDay?: { metric: string; relative?: boolean; points: DayLift[]; reference?: { value: number; label: string } }[];
  readout?: { title: string; columns: string[]; rows: (string | number | null)[][] }[];
  /** everything by day over the run's first replications (run --by-day; the results JSON carries it as `byDay`) */
  days?: Days;
}

/** A results file's `byDay`: the readouts' lift by day (an array) or run --by-day's days (an object with designs). */
const isDays = (x: unknown): x is Days => typeof x === 'object' && x !== null && !Array.isArray(x) && Array.isArray((x as Days).designs);

function header(res: Results): string {
  const g = res.graph;
  const s = res.scenario;
  const threads = g.threads !== null ? `, ${fmt(g.threads, 'int')} group threads (${fmt(g.meanThreadsPerUser, 'num', 2)} per user)` : '';
  return `<h1>${esc(s.name)}</h1>
<p class="lede">${s.description ? esc(s.description) + '<br>' : ''}${fmt(g.nodes, 'int')} users, ${fmt(g.edges, 'int')} friendships (mean degree ${fmt(g.meanDegree, 'num', 1)}, ${fmt(g.isolated, 'int')} isolated)${threads}; ${fmt(s.replications, 'int')} replications, seed ${esc(String(s.seed))}.</p>
<p>Each replication draws one assignment per design, simulates everyone's outcomes with interference and estimates the effect; the <b>truth</b> is the global effect, everyone treated against no one treated. A design that ignores spillover measures something else: its estimates pile up away from the truth however many replications run.</p>`;
}

const anchor = (s: string) => s.replace(/[^\w-]/g, '_');

async function metricSection(res: Results, rows: readonly Row[] | null, metric: string, many: boolean): Promise<string> {
  const parts: string[] = [many ? `<h2 id="metric-${anchor(metric)}">Metric ${esc(metric)}</h2>` : '<h2>Results</h2>'];
  parts.push(diagnosisTable(res.diagnosis, metric));
  parts.push(undefinedList(res.diagnosis, metric));
  parts.push(
    `<p class="note">bias = mean estimate − truth (± its Monte Carlo SE), RMSE = √(bias² + SD²), mean SE = mean reported standard error (compare with SD, or with SD(err) = SD of estimate − truth where the truth varies by replication), coverage = share of ${Math.round(100 * (1 - res.scenario.alpha))}% intervals containing the truth, power = share rejecting “no effect”; — = not defined (no standard error, or no replication where the estimator is defined). Hover a number for its full precision.</p>`,
  );
  const id = anchor(metric);
  // one colour per design of the scenario, the same in every chart
  const designs = res.designs.map((d) => d.name);
  if (rows && rows.some((r) => r.metric === metric)) {
    const svg = await toSvg(estimatesChart(histograms(rows, metric), { designs }));
    parts.push(
      figure(
        svg,
        'One bar chart per design and estimator: how its estimates spread over the replications. The red line is the true effect; where the bars sit relative to it is the bias, how wide they are is the variance. Each row says how many estimates it shows, how many fell beyond its axis and how many undefined ones were left out; an estimator far noisier than the rest has a row of its own below, on its own axis.',
        `estimates-${id}`,
      ),
    );
  } else {
    parts.push('<p class="note">The distribution of estimates needs the per-replication rows; none were given.</p>');
  }
  parts.push(
    figure(
      await toSvg(biasSdChart(res.diagnosis, metric, { designs })),
      'Each point is a design and estimator. Up or down is bias, right is noise; the grey curves join points of equal RMSE. User-level randomization is usually precise but biased; cluster randomization trades variance for bias.',
      `bias-sd-${id}`,
    ),
  );
  if (res.diagnosis.some((d) => d.metric === metric && d.coverage !== null)) {
    parts.push(
      figure(
        await toSvg(coverageChart(res.diagnosis, metric, 1 - res.scenario.alpha, { designs })),
        'How often each design’s interval contains the true effect. Far below the dashed line means the reported uncertainty is too small, usually because the estimate is biased.',
        `coverage-${id}`,
      ),
    );
  }
  return parts.join('\n');
}

async function productSections(extras: ReportExtras): Promise<string> {
  const parts: string[] = [];
  for (const d of extras.byDay ?? []) {
    if (d.points.length === 0) continue;
    parts.push(
      figure(
        await toSvg(liftByDayChart(d.points, { metric: d.metric, relative: d.relative, reference: d.reference })),
        'Lift by day of the primary metric in one experiment per design, with 95% intervals. Novelty shows as a lift that starts high and fades, so a short test overstates the lasting effect; a design that lets the treatment leak into the control arm sits below the true lift every day.',
        `days-${d.metric.replace(/[^\w-]/g, '_')}`,
      ),
    );
  }
  for (const t of extras.readout ?? []) parts.push(`<h3>${esc(t.title)}</h3>\n${plainTable(t.columns, t.rows, 'readout')}`);
  return parts.length ? `<h2 id="product-readout">Product readout</h2>\n${parts.join('\n')}` : '';
}

const stableDay = (d: number | null) => (d === null ? `not for ${STABLE_WINDOW} days by the last day` : `day ${d}`);

/** How long to run: per design when its bias and RMSE stabilise, both by day, and the adoption curves (adoption on). */
async function byDaySection(days: Days, designs: readonly string[]): Promise<string> {
  const last = days.horizon - 1;
  const isFew = (g: Days['designs'][number]) => g.replications > 0 && g.replications < FEW_REPLICATIONS;
  const few = days.designs.filter(isFew);
  const fewText =
    days.replications < FEW_REPLICATIONS
      ? `${fmt(days.replications, 'int')} replications (fewer than ${FEW_REPLICATIONS})`
      : `${few.map((g) => `${esc(g.design)} rests on ${fmt(g.replications, 'int')} defined replications`).join(', ')} (fewer than ${FEW_REPLICATIONS})`;
  const parts = [
    '<h2 id="by-day">How long to run</h2>',
    `<p>Every design over the run's first ${fmt(days.replications, 'int')} replications (the same model draws and assignments), day by day on the daily series of ${esc(days.metric)} (its numerator per user and day, unscaled): the difference in means minus that day's truth (all treated − all control, same draw). Stable from day d: ${esc(days.rule)}.</p>`,
    // as the run's tables: fewer than FEW_REPLICATIONS replications are flagged † and read as rough
    ...(few.length
      ? [`<p class="note few-replications">† ${fewText}: read the bias, RMSE, their bands and the stable days as rough.</p>`]
      : []),
    plainTable(
      ['design', 'type', 'replications', 'bias stable from', 'RMSE stable from', `bias on day ${last}`, `RMSE on day ${last}`],
      days.designs.map((g) => [
        g.design,
        g.type,
        isFew(g) ? `${g.replications} †` : String(g.replications),
        stableDay(g.biasStableFrom),
        stableDay(g.rmseStableFrom),
        Number.isFinite(g.bias[last]!) ? g.bias[last]! : null,
        Number.isFinite(g.rmse[last]!) ? g.rmse[last]! : null,
      ]),
      'by-day',
      decimalsFor(
        days.designs.map((g) => g.rmse[last]!),
        days.designs.map((g) => g.biasSe[last]!),
      ),
    ),
    figure(
      await toSvg(byDayChart(days, 'bias', { designs })),
      'Each design’s bias against the day of the experiment, with ±2 Monte Carlo SE bands. A design whose treatment leaks into its control arm reads below the truth; with adoption and contagion the leak, and the bias, can grow as the experiment runs. ◆ marks the day from which the bias stops moving beyond the noise, not the day it is small.',
      'by-day-bias',
    ),
    figure(
      await toSvg(byDayChart(days, 'rmse', { designs })),
      'Each design’s root mean squared error (bias and noise together) by day, with ±2 Monte Carlo SE bands; ◆: the day from which it is stable.',
      'by-day-rmse',
    ),
  ];
  if (days.adoption)
    parts.push(
      figure(
        await toSvg(adoptionChart(days, { designs })),
        'The share of users using the feature by the end of each day, mean over the replications: each design’s treatment and control arms (users with dose 1 and dose 0: under a thread design, all and none of their groups treated), and the truth’s all-treated and all-control worlds (red). A treatment arm below the all-treated world adopts more slowly than it would at launch: some of its friends are in control and expose it less (half of them under a user-level design; fewer under cluster and thread designs).',
        'by-day-adoption',
      ),
    );
  return parts.join('\n');
}

/** The whole report; `rows` (per-replication estimates) draw the distributions and may be null. */
export async function reportHtml(res: Results, rows: readonly Row[] | null, extras: ReportExtras = {}): Promise<string> {
  const metrics = metricsOf(res.diagnosis);
  const carried = res as Results & { byDay?: unknown; readout?: ReportExtras['readout'] };
  const carriedLift = Array.isArray(carried.byDay) ? (carried.byDay as ReportExtras['byDay']) : undefined;
  const product = await productSections({ byDay: extras.byDay ?? carriedLift, readout: extras.readout ?? carried.readout });
  const days = extras.days ?? (isDays(carried.byDay) ? carried.byDay : undefined);
  const designs = res.designs.map((d) => d.name);
  const byDay = days ? await byDaySection(days, designs) : '';
  const sections = [header(res)];
  if (metrics.length > 1) {
    const links = metrics.map((m) => `<a href="#metric-${anchor(m)}">${esc(m)}</a>`);
    if (product) links.push('<a href="#product-readout">product readout</a>');
    if (byDay) links.push('<a href="#by-day">how long to run</a>');
    sections.push(`<nav class="note">Metrics: ${links.join(' · ')}</nav>`);
  }
  sections.push('<h2>Designs</h2>', designsTable(res.designs));
  for (const m of metrics) sections.push(await metricSection(res, rows, m, metrics.length > 1));
  sections.push(product);
  sections.push(byDay);
  sections.push(
    `<details><summary>Scenario (rerun with <code>spillover run scenario.json</code>)</summary><pre>${esc(JSON.stringify(res.scenario, null, 2))}</pre></details>`,
  );
  return page(`${res.scenario.name}: spillover report`, sections.join('\n'));
}

/** The sweep page: one chart per metric (per point of the other parameters, for a grid) and the tidy table. */
export async function sweepHtml(rows: readonly SweepRow[], title = 'spillover sweep'): Promise<string> {
  const path = rows[0]?.path ?? '';
  const paths = Object.keys(rows[0]?.point ?? {});
  const others = paths.slice(1);
  const parts = [
    `<h1>${esc(title)}</h1>`,
    others.length
      ? `<p class="lede">The same scenario run at every point of the grid of <code>${paths.map(esc).join('</code> × <code>')}</code>; one chart per value of ${others.map((o) => `<code>${esc(o)}</code>`).join(', ')}.</p>`
      : `<p class="lede">The same scenario run at each value of <code>${esc(path)}</code>; every design and estimator diagnosed at each.</p>`,
  ];
  // rows grouped by the values of the parameters after the first (one group for a one-parameter sweep)
  const at = (r: SweepRow) => others.map((o) => `${o}=${String(r.point[o])}`).join(', ');
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows) groups.set(at(r), [...(groups.get(at(r)) ?? []), r]);
  for (const [where, group] of groups)
    for (const m of metricsOf(group)) {
      parts.push(
        figure(
          await toSvg(sweepChart(group, m)),
          `Bias and RMSE against ${esc(path)}${where ? ` at ${esc(where)}` : ''}. Where one design’s RMSE curve drops below another’s, that design starts to pay.`,
          `sweep-${m.replace(/[^\w-]/g, '_')}${where ? `-${where.replace(/[^\w-]/g, '_')}` : ''}`,
        ),
      );
    }
  const show = (v: SweepValue) => (typeof v === 'number' ? v : String(v));
  parts.push(
    sweepGridTable(paths.length > 1 ? paths : ['value'], rows, (r) =>
      paths.length > 1 ? paths.map((p) => show(r.point[p]!)) : [show(r.value)],
    ),
  );
  return page(title, parts.join('\n'));
}

/** A sweep grid as a table: the lead columns (the grid point), then each row's diagnosis, in the metric's decimals. */
export function sweepGridTable(lead: string[], rows: readonly SweepRow[], leadCells: (r: SweepRow) => (string | number)[]): string {
  const cols = [...lead, 'design', 'estimator', 'metric', 'units', 'truth', 'bias', 'SD', 'RMSE', 'coverage', 'power', 'undefined share'];
  return plainTable(
    cols,
    rows.map((r) => [
      ...leadCells(r),
      r.design,
      r.estimator,
      r.metric,
      r.units,
      r.truth,
      r.bias,
      r.sd,
      r.rmse,
      r.coverage,
      r.power,
      r.undefinedShare,
    ]),
    'sweep',
    decimalsFor(
      rows.map((r) => r.sd),
      rows.map((r) => r.biasSE),
    ),
  );
}
