// spillover readout <scenario>: one experiment as a product team would read it.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { UserError } from '../errors.js';
import { designName, findDesign } from '../design/index.js';
import { loadScenario } from '../sim/scenario.js';
import { buildPlan } from '../sim/plan.js';
import { readout } from '../report/readout.js';
import { formatDays, formatDaysDecomposition, formatReadout } from '../report/readout-text.js';
import { daysByDesign } from '../report/readout-days.js';
import { intArg, maxMemoryOption } from './args.js';
import { admit } from '../sim/admission.js';
import { writeFile } from '../report/write.js';

const share = (name: string) => (v: string) => {
  const x = Number(v);
  if (!(x >= 0 && x < 1)) throw new InvalidArgumentError(`${name} must be a number in [0, 1), got "${v}"`);
  return x;
};

interface Opts {
  design?: string;
  seed?: string;
  warmup: number;
  minLift: number;
  top: number;
  json?: string;
  compare: boolean;
  quiet?: boolean;
  days?: number;
  maxMemory?: number;
}

export function registerReadout(cli: Command): void {
  const cmd = cli
    .command('readout')
    .description('run one experiment of a product scenario and print the readout a team would see, with a launch call')
    .argument('<scenario>', 'scenario JSON file with a product model (scenarios/group-calls.json, scenarios/group-stories.json)')
    .option('--design <name>', 'design to read out, by name or type (default: "user" if present, else the first)')
    .option('--seed <s>', 'seed of this experiment (overrides the file)')
    .option('--warmup <days>', 'days dropped in the warm-up view of novelty', intArg('--warmup', 0), 7)
    .option('--min-lift <x>', 'smallest relative lift of the primary metric worth launching', share('--min-lift'), 0.02)
    .option('--top <x>', 'share of most active users the lift must not be confined to', share('--top'), 0.1)
    .option('--no-compare', 'skip the lesson: every design of the scenario read on the same simulated users, against the truth')
    .option(
      '--days <reps>',
      "how long to run: every design's bias and RMSE by day over this many replications (run's)",
      intArg('--days', 2),
    )
    .option('--json <file>', 'also write the readout as JSON')
    .option('--quiet', 'no line announcing the written file');
  maxMemoryOption(cmd).action((file: string, opts: Opts) => {
    const scenario = loadScenario(file);
    if (opts.seed !== undefined) scenario.seed = /^-?\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
    const names = scenario.designs.map((d) => designName(d));
    const want = opts.design ?? (names.includes('user') ? 'user' : names[0]!);
    const k = findDesign(scenario.designs, want);
    if (k < 0) throw new UserError(`--design "${want}" is not in ${file}; designs there: ${names.join(', ')}`, 'EARG');
    // one experiment: the file's replications are not run
    admit({ ...scenario, replications: 2 }, { maxMemory: opts.maxMemory });
    // with the lesson, every design of the scenario reads the same simulated users
    const designs = opts.compare ? scenario.designs : [scenario.designs[k]!];
    const plan = buildPlan({ ...scenario, designs, estimators: ['dm'] });
    const rule = { minLift: opts.minLift, warmup: opts.warmup, topShare: opts.top };
    const r = readout(plan, rule, { design: opts.compare ? k : 0, compare: opts.compare });
    process.stdout.write(formatReadout(r) + '\n');
    // every design of the plan (all of the scenario's with the lesson, else the read one)
    // with adoption on, also the readout's decomposition of the daily truth over the replications
    const days = opts.days !== undefined ? daysByDesign(plan, opts.days, { decompose: r.decomposition !== null }) : null;
    if (days) process.stdout.write('\n' + formatDays(days) + '\n');
    const parts = days ? formatDaysDecomposition(days) : '';
    if (parts) process.stdout.write('\n' + parts + '\n');
    if (opts.json) writeFile(opts.json, JSON.stringify(days ? { ...r, days } : r, null, 2) + '\n', opts.quiet);
  });
}
