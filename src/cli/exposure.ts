// spillover exposure <scenario>: how each design's exposure probabilities
// were obtained (enumeration, closed form, mixture average, Monte Carlo),
// with the number of draws, their precision, positivity failures and the
// dependent pairs behind the Aronow–Samii variance.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { loadScenario, type Scenario } from '../sim/scenario.js';
import { buildGraph } from '../sim/build-graph.js';
import { createDesign, designName } from '../design/index.js';
import { IPW_DEFAULTS, probabilitiesFor, type IpwOptions } from '../estimate/index.js';
import type { ExposureProbabilities } from '../estimate/exposure/index.js';
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';
import { admit } from '../sim/admission.js';
import { maxMemoryOption } from './args.js';

export interface ExposureRow {
  design: string;
  mapping: string;
  probabilities: ExposureProbabilities;
  seconds: number;
}

export function registerExposure(cli: Command): void {
  const cmd = cli
    .command('exposure')
    .description(
      'how exposure probabilities are obtained per design and mapping: method, Monte Carlo draws and precision, positivity, dependent pairs',
    )
    .argument('<scenario>', 'scenario JSON file');
  maxMemoryOption(cmd).action((file: string, opts: { maxMemory?: number }) => {
    const scenario = loadScenario(file);
    admit({ ...scenario, replications: 2 }, { maxMemory: opts.maxMemory }); // no replications are run
    process.stdout.write(formatExposure(exposureTable(scenario)) + '\n');
  });
}

export function exposureTable(scenario: Scenario): ExposureRow[] {
  const graph = buildGraph(scenario);
  const clusterings = new Map<string, { labels: Int32Array; count: number }>();
  // the distinct exposure settings of the scenario's ht / hajek entries
  const settings = new Map<string, IpwOptions>();
  for (const e of scenario.estimators) {
    if (e === 'ht' || e === 'hajek') settings.set(JSON.stringify(IPW_DEFAULTS), IPW_DEFAULTS);
    else if (typeof e !== 'string' && !('effect' in e)) {
      const o = { mapping: e.exposure, draws: e.draws, batches: e.batches };
      settings.set(JSON.stringify(o), o);
    }
  }
  const rows: ExposureRow[] = [];
  for (const spec of scenario.designs) {
    const name = designName(spec);
    const design = createDesign({ graph, clusterings, rng: (p) => stream(scenario.seed, ...names.design(name, p)) }, spec);
    if (design.structure.kind === 'two-arms') continue; // its arms are randomized differently: no exposure probabilities
    for (const o of settings.values()) {
      const t0 = performance.now();
      const probabilities = probabilitiesFor({ graph, design, seed: scenario.seed }, o);
      rows.push({
        design: name,
        mapping: o.mapping.kind === 'fractional' ? `fractional q=${o.mapping.q}` : o.mapping.kind,
        probabilities,
        seconds: (performance.now() - t0) / 1000 || 0,
      });
    }
  }
  return rows;
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
