// HTML building blocks for the self-contained reports: one page shell with
// inline CSS (no external files, so it opens offline) and tables whose cells
// keep the exact JSON number in data-value next to the rounded text.
import { decimalsFor, FEW_REPLICATIONS } from './table.js';
import type { Diagnosis } from '../sim/summary.js';
import type { DesignInfo } from '../sim/run.js';
import { FONT } from './charts/style.js';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

const CSS = `
body { font-family: ${FONT}; color: #222; max-width: 1080px; margin: 2em auto; padding: 0 1.2em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { margin-top: 1.6em; } .lede { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #eee; text-align: left; }
th { border-bottom: 2px solid #ccc; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:hover td { background: #f6f8fa; }
figure { margin: 1.2em 0; overflow-x: auto; } figcaption { color: #555; font-size: 0.9em; max-width: 760px; }
.note { color: #666; font-size: 0.9em; } tr.few td { color: #999; } code, pre { background: #f5f5f5; border-radius: 3px; padding: 0 0.25em; }
pre { padding: 0.8em; overflow-x: auto; font-size: 0.85em; } details { margin: 1em 0; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="spillover">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** Display form of a number: fixed decimals, or a percent. */
export type Kind = 'num' | 'pct' | 'int';

export function fmt(x: number | null, kind: Kind = 'num', digits = 3): string {
  if (x === null) return '—';
  if (kind === 'int') return x.toLocaleString('en-US');
  return kind === 'pct' ? `${(100 * x).toFixed(1)}%` : x.toFixed(digits);
}

/** A number cell: rounded text, exact value (String round-trips a double) in data-value. */
export function numCell(field: string, x: number | null, kind: Kind = 'num', digits = 3): string {
  const exact = x === null ? 'null' : String(x);
  return `<td class="num" data-field="${field}" data-value="${exact}" title="${exact}">${fmt(x, kind, digits)}</td>`;
}

const DIAG_COLUMNS: [keyof Diagnosis, string, Kind][] = [
  ['truth', 'truth', 'num'],
  ['mean', 'mean', 'num'],
  ['bias', 'bias', 'num'],
  ['biasSE', 'MC SE', 'num'],
  ['sd', 'SD', 'num'],
  ['sdError', 'SD(err)', 'num'],
  ['rmse', 'RMSE', 'num'],
  ['meanSE', 'mean SE', 'num'],
  ['coverage', 'coverage', 'pct'],
  ['power', 'power', 'pct'],
  ['undefinedShare', 'undefined', 'pct'],
];

/** The columns shown for a metric: SD(err) only when the truth varies by replication (it equals SD otherwise). */
export function diagnosisColumns(rows: readonly Diagnosis[]): [keyof Diagnosis, string, Kind][] {
  const varies = rows.some((d) => d.truthSE > 0);
  return DIAG_COLUMNS.filter(([k]) => k !== 'sdError' || varies);
}

export function diagnosisTable(diagnosis: readonly Diagnosis[], metric: string): string {
  const rows = diagnosis.filter((d) => d.metric === metric);
  const columns = diagnosisColumns(rows);
  const head = `<tr><th>design</th><th>estimator</th>${columns.map(([, h]) => `<th>${h}</th>`).join('')}</tr>`;
  // the metric's scale, as in the terminal table (a rate of 0.0017 is not 0.000)
  const digits = decimalsFor(
    rows.map((d) => d.sd),
    rows.map((d) => d.biasSE),
  );
  const body = rows
    .map((d) => {
      const cells = columns.map(([k, , kind]) => numCell(k, d[k] as number | null, kind, digits)).join('');
      // diagnosands resting on few defined replications are greyed, with the count
      const defined = Math.round(d.replications * (1 - d.undefinedShare));
      const few = defined < FEW_REPLICATIONS;
      const tag = few
        ? ` class="few" data-defined="${defined}" title="rests on ${defined} defined replications (fewer than ${FEW_REPLICATIONS})"`
        : '';
      const count = few ? ` <span class="note">(${fmt(defined, 'int')} replications)</span>` : '';
      return `<tr${tag} data-design="${esc(d.design)}" data-estimator="${esc(d.estimator)}" data-metric="${esc(metric)}"><td>${esc(d.design)}</td><td>${esc(d.estimator)}${count}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<table class="diagnosis" data-metric="${esc(metric)}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Under a metric's table: for each row with undefined replications, how many and why (empty when none). */
export function undefinedList(diagnosis: readonly Diagnosis[], metric: string): string {
  const rows = diagnosis.filter((d) => d.metric === metric && d.undefinedReasons.length > 0);
  if (rows.length === 0) return '';
  const items = rows.map((d) => {
    const n = d.undefinedReasons.reduce((s, x) => s + x.count, 0);
    const why = d.undefinedReasons
      .map((x) => `<span data-reason="${esc(x.reason)}" data-count="${x.count}">${esc(x.text)} (${fmt(x.count, 'int')})</span>`)
      .join('; ');
    return `<li data-design="${esc(d.design)}" data-estimator="${esc(d.estimator)}">${esc(d.design)} ${esc(d.estimator)}: ${fmt(n, 'int')} of ${fmt(d.replications, 'int')} replications undefined: ${why}</li>`;
  });
  return `<ul class="note undefined-reasons" data-metric="${esc(metric)}">\n${items.join('\n')}\n</ul>`;
}

export function designsTable(designs: readonly DesignInfo[]): string {
  const body = designs
    .map((d) => {
      const skipped = d.skipped.map((s) => `${esc(s.id)}: ${esc(s.reason)}`).join('; ');
      return `<tr data-design="${esc(d.name)}"><td>${esc(d.name)}</td><td>${esc(d.type)}${d.population ? ` <span class="note" data-population="${d.population.users}">effect on ${fmt(d.population.users, 'int')} ${esc(d.population.who)}</span>` : ''}</td>${numCell('p', d.p)}${numCell('units', d.units, 'int')}${numCell('withinClusterShare', d.withinClusterShare, 'pct')}<td class="note">${skipped}</td></tr>`;
    })
    .join('\n');
  return `<table class="designs">\n<thead><tr><th>design</th><th>type</th><th>p</th><th>units</th><th>mean share of a user's friends in their own unit</th><th>estimators not run</th></tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A generic table of strings and numbers (readouts, sweeps); numbers shown with `digits` decimals (3 unless given). */
export function plainTable(columns: string[], rows: (string | number | null)[][], cls = 'plain', digits = 3): string {
  const head = `<tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((v, i) => (typeof v === 'number' || v === null ? numCell(columns[i]!, v, 'num', digits) : `<td>${esc(v)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<table class="${cls}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export const figure = (svg: string, caption: string, id: string) => `<figure id="${id}">${svg}<figcaption>${caption}</figcaption></figure>`;
