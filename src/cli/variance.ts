// spillover variance <scenario>: the exact design variance of the
// Horvitz–Thompson estimator for each design and HT exposure setting, its
// expectation, and how conservative Aronow–Samii is on average, from the
// exposure probabilities and every user's potential outcomes (replication
// 0's model draw). Random clusterings (RGCR, mixtures) go through
// htVarianceOverClusterings. With --curve, the variance of a mixture of K
// clusterings against K, next to the RGCR limit. The (design, exposure)
// rows are computed in up to --workers threads (the graph built once, in
// shared memory), the same bytes for any number.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { UserError } from '../errors.js';
import { loadScenario } from '../sim/scenario.js';
import { varianceTable, varianceTasks, type VarianceResult, type VarianceRow, type VarianceTable } from '../sim/variance.js';
import { inSetupThreads } from '../sim/setup.js';
import { availableParallelism } from 'node:os';
import { checkWritable } from '../report/output.js';
import { writeFile } from '../report/write.js';
import { intArg, maxMemoryOption, workersArg } from './args.js';
import { admit } from '../sim/admission.js';

const DEFAULT_CURVE = [1, 2, 5, 10, 20, 50, 100];

interface Opts {
  metric?: string;
  design?: string[];
  draws: number;
  curve?: string | true;
  chart?: string;
  json?: string;
  quiet?: boolean;
  maxMemory?: number;
  workers: number;
}

export function registerVariance(cli: Command): void {
  const cmd = cli
    .command('variance')
    .description(
      'exact design variance of Horvitz–Thompson per design and exposure, E[HT] against the truth, and how conservative Aronow–Samii is; --curve: variance against the number of mixed clusterings',
    )
    .argument('<scenario>', 'scenario JSON file')
    .option('--metric <name>', "metric (default: the model's first)")
    .option('--design <name...>', 'designs to analyse (default: all)')
    .option('--draws <n>', 'fresh clusterings for RGCR variances (Monte Carlo)', intArg('--draws', 2), 2000)
    .option(
      '--curve [K-list]',
      `Var(HT) of a mixture of the first K clusterings for each K (default ${DEFAULT_CURVE.join(',')}), with the RGCR limit`,
    )
    .option('--chart <file.svg>', 'write the curve as an SVG chart (implies --curve)')
    .option('--json <file>', 'also write the results as JSON')
    .option('--quiet', 'no lines announcing written files')
    .option('--workers <n>', 'threads computing (design, exposure) rows in parallel', workersArg, availableParallelism());
  maxMemoryOption(cmd).action(async (file: string, opts: Opts) => {
    const ks = opts.curve !== undefined || opts.chart ? parseCurve(opts.curve) : null;
    checkWritable(opts.json);
    checkWritable(opts.chart);
    const scenario = loadScenario(file);
    admit(
      { ...scenario, replications: 2 }, // no replications are run
      {
        maxMemory: opts.maxMemory,
        workers: opts.workers,
        draws: [{ field: '--draws', value: opts.draws }],
        clusterings: ks ? { field: '--curve', value: Math.max(...ks) } : undefined,
      },
    );
    // the rows in set-up threads, each (design, exposure) a task; the curve and the assembly here
    const options = { metric: opts.metric, design: opts.design, draws: opts.draws };
    const done = await inSetupThreads<VarianceResult[]>(scenario, opts.workers, (graph) =>
      varianceTasks(scenario, options).map((task) => ({ task: 'variance', graph, options, tasks: [task] })),
    );
    const t = varianceTable(scenario, { ...options, ks, graph: done!.graph, results: done!.results.flat() });
    process.stdout.write(formatVariance(t) + '\n');
    if (opts.json) writeFile(opts.json, JSON.stringify(t, null, 2) + '\n', opts.quiet);
    if (opts.chart) {
      const points = t.curves.flatMap((c) =>
        c.points.filter((p) => p.variance !== null).map((p) => ({ design: c.design, k: p.k, variance: p.variance! })),
      );
      const limits = t.curves.flatMap((c) =>
        c.limit.variance !== null ? [{ design: c.design, variance: c.limit.variance, se: c.limit.se ?? 0 }] : [],
      );
      if (points.length === 0) {
        process.stderr.write(
          `chart not written: no variance on the curve could be computed (${t.curves[0]?.points[0]?.reason ?? 'none'})\n`,
        );
      } else {
        const [{ varianceCurveChart }, { toSvg }] = await Promise.all([
          import('../report/charts/variance-curve.js'),
          import('../report/render.js'),
        ]);
        const svg = await toSvg(varianceCurveChart(points, limits, { metric: t.metric, exposure: t.curves[0]!.exposure }));
        writeFile(opts.chart, svg, opts.quiet);
      }
    }
  });
}

function parseCurve(v: string | true | undefined): number[] {
  if (v === undefined || v === true) return DEFAULT_CURVE;
  const parts = v.split(',').map((s) => s.trim());
  const ks = parts.map(Number);
  if (parts.some((s) => s === '') || ks.some((k) => !Number.isInteger(k) || k < 1))
    throw new UserError(`--curve must be a comma-separated list of positive integers, got "${v}"`, 'EARG');
  if (Math.max(...ks) > 10_000) throw new UserError(`--curve: K up to 10,000 clusterings, got ${Math.max(...ks)}`, 'EARG');
  return [...new Set(ks)].sort((a, b) => a - b);
}

/** Four significant digits; never NaN or Infinity. */
function fmt(x: number | null, d = 4): string {
  if (x === null || !Number.isFinite(x)) return 'undefined';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e6 || a < 1e-4 ? x.toExponential(d - 1) : x.toPrecision(d);
}

function cellOf(x: number | null, short: string | null): string {
  if (x !== null) return fmt(x);
  return `undefined: ${short ?? 'see notes'}`;
}

function methodCell(r: VarianceRow): string {
  const p = r.probabilities;
  if (p.method !== 'monte carlo') return p.method;
  return `monte carlo, ${p.draws} draws${p.jointDraws && p.jointDraws !== p.draws ? ` (joints ${p.jointDraws})` : ''}`;
}

export function formatVariance(t: VarianceTable): string {
  const table = new Table({
    head: ['design', 'exposure', 'probabilities', 'Var(HT)', 'SD(HT)', 'E[HT]', 'truth', 'E[AS]/Var', 'no chance 1 / 0'],
    style: { head: [], border: [], compact: true },
  });
  const notes: string[] = [];
  for (const r of t.rows) {
    const v = r.variance !== null && r.varianceSE ? `${fmt(r.variance)} ±${fmt(r.varianceSE, 2)}` : cellOf(r.variance, r.short);
    const short = (x: number | null) => (x !== null ? fmt(x) : 'undefined');
    const ratio =
      r.conservative !== null ? `${r.conservative.toPrecision(3)}×` : r.variance === null ? 'undefined' : `undefined: ${r.short}`;
    table.push([
      r.design,
      r.exposure,
      methodCell(r) + (r.route === 'clusterings' ? `; Var over ${r.clusterings} clusterings` : ''),
      v,
      short(r.sd),
      short(r.mean),
      fmt(r.truth),
      ratio,
      `${r.noChance.treated} / ${r.noChance.control}`,
    ]);
    for (const s of r.notes) notes.push(`  ${r.design}, ${r.exposure}: ${s}`);
    if (r.reason) notes.push(`  ${r.design}, ${r.exposure}: ${r.variance === null ? 'Var(HT)' : 'E[AS]/Var'} undefined: ${r.reason}`);
  }
  const out = [
    `${t.scenario}, metric ${t.metric}: exact design variance of Horvitz–Thompson, HT = (1/n)[Σ_{treated world} y1/π1 − Σ_{control world} y0/π0]`,
    table.toString(),
    "Var(HT), SD(HT): over the design's assignments, with every user's potential outcomes (model draw of replication 0); ± : Monte Carlo SE over fresh clusterings (RGCR).",
    'E[HT] against truth (the global effect): they differ by the users with no chance of a world, whom HT leaves out (counted in the last column).',
    "E[AS]/Var: expectation of the Aronow–Samii variance estimate over the exact variance; above 1 it is conservative by that factor (Young's bounds for pairs never seen together).",
    ...t.notes,
    ...notes,
  ];
  for (const c of t.curves) {
    const ct = new Table({ head: ['K', 'Var(HT)', 'SD(HT)', 'E[HT]'], style: { head: [], border: [], compact: true } });
    for (const p of c.points) {
      const cell = (x: number | null) => (x !== null ? fmt(x) : 'undefined');
      ct.push([String(p.k), p.variance !== null ? fmt(p.variance) : `undefined: ${p.reason}`, cell(p.sd), cell(p.mean)]);
    }
    const lim =
      c.limit.variance !== null
        ? `${fmt(c.limit.variance)} ±${fmt(c.limit.se, 2)} (${c.limit.draws} fresh clusterings)`
        : `undefined: ${c.limit.reason}`;
    out.push(
      '',
      `${c.design}: mixture of the first K ${c.clustering} clusterings (p = ${c.p}), ${c.exposure} exposure; exact Var(HT) for each K`,
      ct.toString(),
      `RGCR limit (K → ∞, a fresh ${c.clustering} every draw): ${lim}`,
    );
  }
  return out.join('\n');
}
