// Write the HTML reports to disk (Node only; report.ts builds the text).
import { writeOutput } from './output.js';
import type { Results } from '../sim/run.js';
import type { Row } from '../sim/replicate.js';
import type { SweepRow } from '../sim/sweep.js';
import type { ReportExtras } from './report.js';

// Vega and the report code load only when a report is written: importing
// them costs about a second, which every other command would otherwise pay.
const html = () => import('./report.js');

const write = writeOutput;

/**
 * The self-contained run report; `rows` may be null (then no distribution
 * chart). Product scenarios get one readout per design (lift by day and the
 * readout tables) unless `extras` are given.
 */
export async function writeReport(results: Results, rows: readonly Row[] | null, path: string, extras?: ReportExtras): Promise<void> {
  const [{ reportHtml }, { productExtras }] = await Promise.all([html(), import('./product.js')]);
  write(path, await reportHtml(results, rows, extras ?? productExtras(results.scenario)));
}

export async function writeSweepReport(rows: readonly SweepRow[], path: string, title?: string): Promise<void> {
  const { sweepHtml } = await html();
  write(path, await sweepHtml(rows, title));
}
