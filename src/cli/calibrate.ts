// spillover calibrate <scenario> --targets <file>: search a product
// scenario's named model parameters toward a target readout and report the
// fit (src/report/calibrate.ts); --check N reads seeds 1..N one by one and
// reports how often the readout lands in every target's range.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { loadScenario } from '../sim/scenario.js';
import { admit } from '../sim/admission.js';
import { calibrate, fitOf, parseTargets, readAt, startOf, type Fit } from '../report/calibrate.js';
import { writeFile } from '../report/write.js';
import { checkWritable } from '../report/output.js';
import { intArg, maxMemoryOption } from './args.js';

interface Opts {
  targets: string;
  search: boolean;
  maxEvals?: number;
  seeds?: string;
  check?: number;
  write?: string;
  json?: string;
  quiet?: boolean;
  maxMemory?: number;
}

const style = { head: [], border: [], compact: true };
const fmt = (x: number) => (!Number.isFinite(x) ? '—' : x === 0 ? '0' : Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(4));
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

function fitTable(fit: Fit): string {
  const t = new Table({
    head: ['metric', 'stat', 'target', 'tolerance', 'achieved', 'within', 'significant', `hit (${fit.seeds} seeds)`],
    style,
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left', 'left', 'right'],
  });
  for (const r of fit.rows) {
    const x = r.target;
    const show = (v: number) => (x.stat === 'change' ? `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}%` : fmt(v));
    t.push([
      x.metric,
      x.stat,
      show(x.value),
      x.stat === 'change' ? `${(100 * x.tolerance).toFixed(1)}%` : fmt(x.tolerance),
      show(r.achieved),
      r.within ? 'yes' : 'NO',
      x.significant === undefined ? '' : x.significant ? 'required' : 'must not be',
      pct(r.hits),
    ]);
  }
  return t.toString();
}

export function registerCalibrate(cli: Command): void {
  const cmd = cli
    .command('calibrate')
    .description(
      "search a product scenario's model parameters toward a target readout (fixed seeds, common random numbers) and report the fit",
    )
    .argument('<scenario>', 'scenario JSON file with a product model')
    .requiredOption('--targets <file>', 'targets JSON: design, seeds, parameters with bounds, targets with tolerances (docs/products.md)')
    .option('--no-search', "report the fit of the scenario's own parameters, without searching")
    .option('--seeds <list>', "comma-separated seeds to average in the search instead of the targets file's")
    .option('--max-evals <n>', 'evaluation budget of the search (default: the targets file, else 80)', intArg('--max-evals', 1))
    .option('--check <n>', 'then read seeds 1..n one by one: how often every target is hit', intArg('--check', 1, 200))
    .option('--write <file>', 'write the scenario with the calibrated parameters')
    .option('--json <file>', 'also write the calibration and fit as JSON')
    .option('--quiet', 'no search progress and no lines announcing written files on stderr');
  maxMemoryOption(cmd).action((file: string, opts: Opts) => {
    checkWritable(opts.write);
    checkWritable(opts.json);
    const scenario = loadScenario(file);
    let spec;
    try {
      spec = parseTargets(JSON.parse(readFileSync(opts.targets, 'utf8')), opts.targets);
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`cannot read ${opts.targets}: ${(e as Error).message}`, 'EFILE');
    }
    if (opts.maxEvals !== undefined) spec = { ...spec, maxEvaluations: opts.maxEvals };
    if (opts.seeds !== undefined) {
      const seeds = opts.seeds.split(',').map((x) => (/^-?\d+$/.test(x.trim()) ? Number(x) : x.trim()));
      if (seeds.some((x) => x === ''))
        throw new UserError(`--seeds: expected a comma-separated list of seeds, got "${opts.seeds}"`, 'EARG');
      spec = { ...spec, seeds };
    }
    admit({ ...scenario, replications: 2 }, { maxMemory: opts.maxMemory });
    const L: string[] = [];
    const start = startOf(scenario, spec);
    let params = start;
    let fit: Fit;
    if (opts.search) {
      const progress = opts.quiet
        ? undefined
        : (s: { evaluation: number; loss: number }) => process.stderr.write(`evaluation ${s.evaluation}: loss ${fmt(s.loss)}\n`);
      const c = calibrate(scenario, spec, progress);
      params = c.params;
      fit = c.fit;
      L.push(
        `${scenario.name}: calibrated on seeds ${spec.seeds.join(', ')}, design "${spec.design}", ${c.evaluations} evaluations, loss ${fmt(fit.loss)}`,
      );
      const pt = new Table({
        head: ['parameter', 'start', 'calibrated', 'min', 'max'],
        style,
        colAligns: ['left', 'right', 'right', 'right', 'right'],
      });
      for (const [n, b] of Object.entries(spec.parameters)) pt.push([n, fmt(start[n]!), fmt(params[n]!), fmt(b.min), fmt(b.max)]);
      L.push(pt.toString());
    } else {
      fit = fitOf(readAt(scenario, spec.design, {}, spec.seeds), spec.targets);
      L.push(
        `${scenario.name}: fit of the scenario's parameters on seeds ${spec.seeds.join(', ')}, design "${spec.design}", loss ${fmt(fit.loss)}`,
      );
    }
    L.push(fitTable(fit));
    L.push(
      'achieved = mean over the seeds; within = |achieved − target| ≤ tolerance; hit = a seed within tolerance (and significant as required).',
    );
    L.push(`all targets hit at once: ${pct(fit.landing)} of the ${fit.seeds} seeds`);
    let check: Fit | null = null;
    if (opts.check) {
      const seeds = Array.from({ length: opts.check }, (_, i) => i + 1);
      check = fitOf(readAt(scenario, spec.design, params, seeds), spec.targets);
      L.push('', `check: seeds 1..${opts.check}, each read on its own`, fitTable(check));
      L.push(
        `the readout lands in every target's range in ${Math.round(check.landing * check.seeds)} of ${check.seeds} seeds (${pct(check.landing)})`,
      );
    }
    process.stdout.write(L.join('\n') + '\n');
    if (opts.write) {
      const raw = rawScenario(file);
      writeFile(opts.write, JSON.stringify({ ...raw, model: { ...raw.model, ...params } }, null, 2) + '\n', opts.quiet);
    }
    if (opts.json) {
      writeFile(opts.json, JSON.stringify({ scenario: scenario.name, start, params, fit, check }, null, 2) + '\n', opts.quiet);
    }
  });
}

/** The scenario file as written (the parsed scenario carries every default). */
function rawScenario(file: string): { model: Record<string, unknown> } & Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
}
