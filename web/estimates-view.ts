// The estimates filling in: the report's own histogram chart (Vega-Lite,
// drawn as SVG by Vega in the page), its data swapped in place as rows
// arrive, and the diagnosis table. The axis is fixed after the first batch so
// bars grow instead of jumping; the last update redraws it on all the data.
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { Row } from '../src/sim/replicate.js';
import { diagnose, type Diagnosis } from '../src/sim/summary.js';
import { histograms } from '../src/report/bins.js';
import { biasSdChart, estimatesChart, estimatesValues } from '../src/report/charts/index.js';
import { esc, fmt } from '../src/report/html.js';
import { toSvg } from '../src/report/render.js';

export class LiveEstimates {
  private view: View | null = null;
  private domain: [number, number] | null = null;

  constructor(
    private readonly chartEl: HTMLElement,
    private readonly tableEl: HTMLElement,
    private readonly tradeoffEl: HTMLElement,
  ) {}

  reset(): void {
    this.view?.finalize();
    this.view = null;
    this.domain = null;
    this.chartEl.replaceChildren();
    this.tableEl.replaceChildren();
    this.tradeoffEl.replaceChildren();
  }

  async update(rows: readonly Row[], final: boolean): Promise<Diagnosis[]> {
    const metric = rows[0]?.metric;
    if (!metric) return [];
    if (final || !this.view) {
      const h = histograms(rows, metric, 40);
      // early on, leave room: later estimates rarely fall outside a wider axis
      const [lo, hi] = h.domain;
      const pad = final ? 0 : 0.3 * (hi - lo);
      this.domain = [lo - pad, hi + pad];
      const spec = estimatesChart(final ? h : histograms(rows, metric, 40, this.domain), { width: 380, rowHeight: 34, title: 'Estimates in each replication' });
      this.view?.finalize();
      this.view = new View(parse(compile(spec).spec), { renderer: 'svg', container: this.chartEl, hover: false });
      await this.view.runAsync();
    } else {
      this.view.data('estimates', estimatesValues(histograms(rows, metric, 40, this.domain!)));
      await this.view.runAsync();
    }
    const d = diagnose(rows);
    this.tableEl.innerHTML = table(d);
    if (final) this.tradeoffEl.innerHTML = await toSvg(biasSdChart(d, metric, { width: 380, height: 260 }));
    return d;
  }
}

function table(d: Diagnosis[]): string {
  const cell = (x: Diagnosis, field: 'truth' | 'bias' | 'sd' | 'rmse' | 'coverage', kind: 'num' | 'pct' = 'num') =>
    `<td class="num" data-field="${field}" data-value="${x[field] === null ? 'null' : String(x[field])}">${fmt(x[field], kind)}</td>`;
  const rows = d
    .map((x) => `<tr data-design="${esc(x.design)}" data-estimator="${esc(x.estimator)}"><td>${esc(x.design)}</td><td>${esc(x.estimator)}</td>${cell(x, 'truth')}${cell(x, 'bias')}<td class="num se">±${fmt(x.biasSE)}</td>${cell(x, 'sd')}${cell(x, 'rmse')}${cell(x, 'coverage', 'pct')}</tr>`)
    .join('');
  return `<table><thead><tr><th>design</th><th>estimator</th><th>truth</th><th>bias</th><th>MC SE</th><th>SD</th><th>RMSE</th><th>coverage</th></tr></thead><tbody>${rows}</tbody></table>`;
}
