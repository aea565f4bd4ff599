// spillover exposure <scenario>: how each design's exposure probabilities
// were obtained (enumeration, closed form, mixture average, Monte Carlo),
// with the number of draws, their precision, positivity failures and the
// dependent pairs behind the Aronow–Samii variance.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { loadScenario } from '../sim/scenario.js';
import { availableParallelism } from 'node:os';
import { admit } from '../sim/admission.js';
import { setUpInThreads } from '../sim/setup.js';
import { exposureRows, exposureScenario, type ExposureRow } from '../sim/exposure-table.js';
import { maxMemoryOption, workersArg } from './args.js';

export function registerExposure(cli: Command): void {
  const cmd = cli
    .command('exposure')
    .description(
      'how exposure probabilities are obtained per design and mapping: method, Monte Carlo draws and precision, positivity, dependent pairs',
    )
    .argument('<scenario>', 'scenario JSON file')
    .option('--workers <n>', 'threads computing (design, mapping) pairs in parallel', workersArg, availableParallelism());
  maxMemoryOption(cmd).action(async (file: string, opts: { maxMemory?: number; workers: number }) => {
    const scenario = loadScenario(file);
    admit({ ...scenario, replications: 2 }, { maxMemory: opts.maxMemory, workers: opts.workers }); // no replications are run
    const ask = exposureScenario(scenario);
    const setup = await setUpInThreads(ask, opts.workers);
    process.stdout.write(formatExposure(exposureRows(ask, setup!)) + '\n');
  });
}

export function formatExposure(rows: ExposureRow[]): string {
  const table = new Table({
    head: [
      'design',
      'exposure',
      'method',
      'draws',
      'batches',
      'joint draws',
      'max rel. SE',
      'median rel. SE',
      'joint rel. SE max / median',
      'median P(treated world)',
      'no chance 1 / 0',
      'dependent pairs',
      'seconds',
    ],
    style: { head: [], border: [], compact: true },
  });
  const notes: string[] = [];
  for (const r of rows) {
    const p = r.probabilities;
    const sorted = Float64Array.from(p.p1).sort();
    table.push([
      r.design,
      r.mapping,
      p.method,
      p.draws || '—',
      p.batches || '—',
      p.jointDraws || '—',
      p.draws ? `${(100 * p.maxRelSE).toFixed(1)}%` : 'exact',
      p.draws ? `${(100 * p.medianRelSE).toFixed(2)}%` : 'exact',
      !p.pairs ? '—' : p.jointDraws ? `${(100 * p.jointMaxRelSE).toFixed(1)}% / ${(100 * p.jointMedianRelSE).toFixed(2)}%` : 'exact',
      sorted[sorted.length >> 1]!.toExponential(2),
      `${p.zero1} / ${p.zero0}`,
      p.pairs ? p.pairs.other.length.toLocaleString('en-US') : '—',
      r.seconds.toFixed(1),
    ]);
    for (const note of p.notes) notes.push(`  ${r.design}, ${r.mapping}: ${note}`);
  }
  return [
    table.toString(),
    "rel. SE = Monte Carlo standard error of a user's probability over the probability (from the spread of independent draws; random clusterings are Rao–Blackwellised: each draw gives the exact probability given its clustering); joint rel. SE: the same for the positive P(both treated world) and P(both control world) of dependent pairs; no chance = users who can never be in that world (positivity fails, HT is biased for them).",
    ...notes,
  ].join('\n');
}
