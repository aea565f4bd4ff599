// The estimates filling in: the report's own histogram chart (Vega-Lite,
// drawn as SVG by Vega in the page), its data swapped in place as rows
// arrive, and the diagnosis table. The axes are fixed after the first batch so
// bars grow instead of jumping; the last update redraws them on all the data.
// An estimator far noisier than the rest (Hájek or HT under user-level
// randomization) keeps a row with its own axis below the shared one, so
// ticking it never squashes the others.
// Product models have many metrics: the view shows one at a time (`metric`),
// the histogram, the table and the bias/SD chart alike.
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { Row } from '../src/sim/replicate.js';
import { diagnose, type Diagnosis } from '../src/sim/summary.js';
import { histograms, type AxisPlan } from '../src/report/bins.js';
import { biasSdChart, estimatesChart, estimatesValues } from '../src/report/charts/index.js';
import { esc, fmt } from '../src/report/html.js';
import { FEW_REPLICATIONS } from '../src/report/table.js';
import { toSvg } from '../src/report/render.js';
import { metricLabel } from './presets.js';

/** One metric's diagnosis, with the decimals its numbers are shown with. */
export interface MetricDiagnosis {
  metric: string;
  rows: Diagnosis[];
  decimals: number;
}

/** Decimals giving the largest of truth, bias and SD three significant digits (3 for outcomes below 1). */
export function decimalsFor(d: readonly Diagnosis[]): number {
  const ref = Math.max(0, ...d.flatMap((x) => [Math.abs(x.truth ?? 0), Math.abs(x.bias ?? 0), x.sd ?? 0]).filter(Number.isFinite));
  return ref > 0 ? Math.min(8, Math.max(0, 2 - Math.floor(Math.log10(ref)))) : 3;
}

export class LiveEstimates {
  private view: View | null = null;
  private axes: AxisPlan | null = null;
  /** the metric the chart was drawn for */
  private drawn: string | null = null;
  /** updates run one after the other, so two never draw into the chart at once */
  private queue: Promise<unknown> = Promise.resolve();
  /** the metric shown; set before update (see main.ts) */
  metric = '';
  /** the run's designs in scenario order: each keeps its colour (the graph's tabs use the same) */
  designs: string[] = [];

  constructor(
    private readonly chartEl: HTMLElement,
    private readonly tableEl: HTMLElement,
    private readonly tradeoffEl: HTMLElement,
  ) {}

  reset(): void {
    this.queue = this.queue.then(() => this.clear());
  }

  private clear(): void {
    this.view?.finalize();
    this.view = null;
    this.axes = null;
    this.drawn = null;
    this.chartEl.replaceChildren();
    this.tableEl.replaceChildren();
    this.tradeoffEl.replaceChildren();
  }

  update(rows: readonly Row[], final: boolean): Promise<MetricDiagnosis | null> {
    const next = this.queue.then(() => this.draw(rows, final));
    this.queue = next.catch(() => {});
    return next;
  }

  private async draw(all: readonly Row[], final: boolean): Promise<MetricDiagnosis | null> {
    const metric = this.metric || all[0]?.metric;
    const rows = all.filter((r) => r.metric === metric);
    if (!metric || rows.length === 0) return null;
    if (metric !== this.drawn) {
      this.clear();
      this.drawn = metric;
    }
    const title = metric === 'y' ? 'Estimates in each replication' : `Estimates of the effect on ${metricLabel(metric)}`;
    if (final || !this.view) {
      const h = histograms(rows, metric, 40);
      // early on, leave room: later estimates rarely fall outside wider axes
      const widen = ([lo, hi]: [number, number]): [number, number] => {
        const pad = final ? 0 : 0.3 * (hi - lo);
        return [lo - pad, hi + pad];
      };
      this.axes = {
        domain: widen(h.axes.domain),
        own: Object.fromEntries(Object.entries(h.axes.own).map(([k, d]) => [k, widen(d)])),
      };
      const spec = estimatesChart(final ? h : histograms(rows, metric, 40, this.axes), {
        width: 380,
        rowHeight: 34,
        title,
        designs: this.designs.length ? this.designs : undefined,
      });
      this.view?.finalize();
      this.view = new View(parse(compile(spec).spec), { renderer: 'svg', container: this.chartEl, hover: false });
      await this.view.runAsync();
    } else {
      this.view.data('estimates', estimatesValues(histograms(rows, metric, 40, this.axes!)));
      await this.view.runAsync();
    }
    const d = diagnose(rows);
    const decimals = decimalsFor(d);
    this.tableEl.innerHTML = liveTable(d, decimals);
    if (final)
      this.tradeoffEl.innerHTML = await toSvg(
        biasSdChart(d, metric, { width: 380, height: 260, designs: this.designs.length ? this.designs : undefined }),
      );
    return { metric, rows: d, decimals };
  }
}

/** The page's diagnosis table (exported for its test). */
export function liveTable(d: Diagnosis[], decimals: number): string {
  const cell = (x: Diagnosis, field: 'truth' | 'bias' | 'sd' | 'rmse' | 'coverage', kind: 'num' | 'pct' = 'num') =>
    `<td class="num" data-field="${field}" data-value="${x[field] === null ? 'null' : String(x[field])}">${fmt(x[field], kind, decimals)}</td>`;
  // rows resting on few defined replications are greyed, with the count (as in the report)
  const few = (x: Diagnosis) => {
    const defined = Math.round(x.replications * (1 - x.undefinedShare));
    return defined < FEW_REPLICATIONS
      ? {
          tag: ` class="few" data-defined="${defined}" title="rests on ${defined} defined replications (fewer than ${FEW_REPLICATIONS})"`,
          note: ` <span class="hint">(${defined} replications)</span>`,
        }
      : { tag: '', note: '' };
  };
  const rows = d
    .map(
      (x) =>
        `<tr${few(x).tag} data-design="${esc(x.design)}" data-estimator="${esc(x.estimator)}" data-metric="${esc(x.metric)}"><td>${esc(x.design)}</td><td>${esc(x.estimator)}${few(x).note}</td>${cell(x, 'truth')}${cell(x, 'bias')}<td class="num se" data-field="biasSE" data-value="${x.biasSE === null ? 'null' : String(x.biasSE)}">±${fmt(x.biasSE, 'num', decimals)}</td>${cell(x, 'sd')}${cell(x, 'rmse')}${cell(x, 'coverage', 'pct')}</tr>`,
    )
    .join('');
  return `<table><thead><tr><th>design</th><th>estimator</th><th>truth</th><th>bias</th><th>MC SE</th><th>SD</th><th>RMSE</th><th>coverage</th></tr></thead><tbody>${rows}</tbody></table>`;
}
