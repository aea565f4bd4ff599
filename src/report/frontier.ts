// The design frontier's page: per metric, the recommendation at each
// interference level, where cluster randomization starts to pay, the map and
// the diagnosand panels; then the whole grid as a table with the undefined
// share. Browser-safe: writing the file is write.ts.
import type { Frontier } from '../sim/frontier.js';
import type { SweepRow, SweepValue } from '../sim/sweep.js';
import { frontierLinesChart, frontierMapChart } from './charts/frontier.js';
import { candidateText, sig, where } from './frontier-text.js';
import { esc, figure, page, plainTable } from './html.js';
import { sweepGridTable } from './report.js';
import { toSvg } from './render.js';

const anchor = (s: string) => s.replace(/[^\w-]/g, '_');

export async function frontierHtml(f: Frontier, rows: readonly SweepRow[], title: string): Promise<string> {
  const ip = f.axes.interference.path;
  const cp = f.axes.clusters.path;
  const designs = [...new Set(rows.map((r) => r.design))];
  const parts = [
    `<h1>${esc(title)}</h1>`,
    `<p class="lede">The scenario at every combination of <code>${esc(ip)}</code> = ${f.axes.interference.values.map((v) => esc(String(v))).join(', ')} (${esc(f.axes.interference.what)}) and <code>${esc(cp)}</code> = ${f.axes.clusters.values.map((v) => esc(String(v))).join(', ')} (${esc(f.axes.clusters.what)}, design <b>${esc(f.varied)}</b>), every design and estimator diagnosed at each. The user-level reference is <b>${esc(f.reference)}</b>.</p>`,
    `<p><b>Rule.</b> ${esc(f.rule)}</p>`,
  ];
  for (const metric of f.metrics) {
    if (f.metrics.length > 1) parts.push(`<h2 id="metric-${anchor(metric)}">Metric ${esc(metric)}</h2>`);
    const levels = f.levels.filter((l) => l.metric === metric);
    parts.push(
      plainTable(
        [ip, 'recommended', 'RMSE', 'power', `${f.varied} beats ${f.reference} at ${cp.split('.').pop()}`],
        levels.map((l) => {
          const c = l.recommended;
          const pays = l.comparisons.filter((x) => x.pays).map((x) => `${String(x.cluster)}${x.clear ? '' : '*'}`);
          return [
            String(l.interference),
            c
              ? `${where(f, c.design, c.cluster, c.units)} · ${c.estimator}`
              : `none reaches power ${f.powerMin} with valid intervals (lowest RMSE: ${l.lowestRmse ? candidateText(f, l.lowestRmse) : '—'})`,
            c ? sig(c.rmse) : '—',
            c ? `${Math.round(100 * c.powerAll!)}%` : '—',
            l.comparisons.length ? (pays.length ? pays.join(', ') : 'nowhere') : '—',
          ];
        }),
        'frontier',
      ),
    );
    const cross = f.crossovers.filter((c) => c.metric === metric);
    if (cross.length) {
      const items = cross.map((c) => {
        const text =
          c.from === null
            ? `RMSE not below ${esc(f.reference)}'s at the largest ${esc(ip)}`
            : c.before === null
              ? `pays from the smallest ${esc(ip)} tried (${esc(String(c.from))})`
              : `pays from ${esc(ip)} = ${esc(String(c.from))} on (not at ${esc(String(c.before))})`;
        return `<li data-design="${esc(c.design)}" data-cluster="${esc(String(c.cluster))}" data-from="${esc(String(c.from))}">${esc(where(f, c.design, c.cluster, c.units))}: ${text}${c.clear || c.from === null ? '' : '*'}</li>`;
      });
      parts.push(
        `<p>Where cluster randomization starts to pay (its RMSE below the user-level design's from then on):</p>\n<ul class="crossovers">\n${items.join('\n')}\n</ul>`,
      );
    }
    parts.push('<p class="note">* within 2 Monte Carlo SEs of the user-level RMSE: more replications would be needed to be sure.</p>');
    parts.push(
      figure(
        await toSvg(frontierMapChart(f, rows, metric, designs)),
        `Which design has the lowest RMSE at each interference level and cluster parameter, and ${esc(f.varied)}'s RMSE as a multiple of ${esc(f.reference)}'s. Without interference the user-level design wins: it has the most units, so the least variance, and nothing to be biased by. As interference grows its bias grows and cluster randomization starts to pay; fewer, larger clusters cut more of the bias but cost variance.`,
        `frontier-map-${anchor(metric)}`,
      ),
    );
    parts.push(
      figure(
        await toSvg(frontierLinesChart(f, rows, metric, designs)),
        'Each diagnosand against the number of clusters of the varied design (log axis). SD and RMSE are on log axes and bias on a symmetric log axis (linear within the typical SD), so a far noisier estimator does not flatten the others.',
        `frontier-lines-${anchor(metric)}`,
      ),
    );
  }
  const show = (v: SweepValue | undefined) => (typeof v === 'number' ? v : String(v));
  parts.push(
    '<h2>The grid</h2>',
    sweepGridTable([ip, cp], rows, (r) => [show(r.point[ip]), show(r.point[cp])]),
    `<p class="note">Numbers as in the CSV (<code>spillover frontier --out</code>), rounded to the metric's scale; hover for full precision. Power here is the diagnosis's (over defined replications); the rule multiplies it by the defined share.</p>`,
  );
  return page(title, parts.join('\n'));
}
