// Writing output files (Node only): every file a command writes goes
// through here and is announced on stderr, one line per file with its size
// ("wrote results.json (12 kB)"), so standard output stays data; --quiet
// passes `quiet` and silences the line. The HTML reports' text is built in
// report.ts.
import { statSync } from 'node:fs';
import { writeOutput } from './output.js';
import type { Results } from '../sim/run.js';
import type { Row } from '../sim/replicate.js';
import type { SweepRow } from '../sim/sweep.js';
import type { Frontier } from '../sim/frontier.js';
import type { ReportExtras } from './report.js';

// Vega and the report code load only when a report is written: importing
// them costs about a second, which every other command would otherwise pay.
const html = () => import('./report.js');

/** A size for people: 812 B, 1.2 kB, 12 kB, 3.4 MB (SI units, at most three significant digits, at least integer precision). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let x = bytes;
  let u = 0;
  while (x >= 999.5 && u < units.length - 1) {
    x /= 1000;
    u++;
  }
  const shown = u === 0 || x >= 10 ? Math.round(x).toString() : x.toFixed(1);
  return `${shown} ${units[u]}`;
}

/** The line announcing a written file (tests compare stderr with it). */
export function announcement(path: string): string {
  return `wrote ${path} (${formatBytes(statSync(path).size)})\n`;
}

/** Announce a file already written (by a stream, a report, a replication file) on stderr, unless quiet. */
export function announce(path: string, quiet = false): void {
  if (!quiet) process.stderr.write(announcement(path));
}

/** Write a file the user named and announce it. */
export function writeFile(path: string, text: string, quiet = false): void {
  writeOutput(path, text);
  announce(path, quiet);
}

/**
 * The self-contained run report; `rows` may be null (then no distribution
 * chart). Product scenarios get one readout per design (lift by day and the
 * readout tables) unless `extras` are given.
 */
export async function writeReport(
  results: Results,
  rows: readonly Row[] | null,
  path: string,
  opts: { extras?: ReportExtras; quiet?: boolean } = {},
): Promise<void> {
  const [{ reportHtml }, { productExtras }] = await Promise.all([html(), import('./product.js')]);
  writeFile(path, await reportHtml(results, rows, opts.extras ?? productExtras(results.scenario)), opts.quiet);
}

export async function writeSweepReport(rows: readonly SweepRow[], path: string, title?: string, quiet = false): Promise<void> {
  const { sweepHtml } = await html();
  writeFile(path, await sweepHtml(rows, title), quiet);
}

export async function writeFrontierReport(
  frontier: Frontier,
  rows: readonly SweepRow[],
  path: string,
  title: string,
  quiet = false,
): Promise<void> {
  const { frontierHtml } = await import('./frontier.js');
  writeFile(path, await frontierHtml(frontier, rows, title), quiet);
}
