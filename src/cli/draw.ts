// spillover draw <scenario> --rep R --design NAME: one replication's data,
// one line per user, for R or pandas (DeclareDesign's draw_data).
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { designName, findDesign } from '../design/index.js';
import { loadScenario } from '../sim/scenario.js';
import { drawData } from '../sim/draw.js';
import { admit } from '../sim/admission.js';
import { drawCsv, drawJson } from '../report/csv.js';
import { checkWritable } from '../report/output.js';
import { writeFile } from '../report/write.js';
import { intArg, maxMemoryOption } from './args.js';

interface Opts {
  rep: number;
  design?: string;
  seed?: string;
  csv?: string;
  json?: string;
  quiet?: boolean;
  maxMemory?: number;
}

export function registerDraw(cli: Command): void {
  const cmd = cli
    .command('draw')
    .description("write one replication's data under one design: per user, assignment, exposure, observed and potential outcomes")
    .argument('<scenario>', 'scenario JSON file')
    .requiredOption('--rep <r>', 'replication number (0-based, as sim_id in run --csv)', intArg('--rep', 0))
    .option('--design <name>', 'design by name or type (default: the first)')
    .option('--seed <s>', 'seed (overrides the file)')
    .option('--csv <file>', 'write the data as CSV (default: CSV to standard output; columns in docs/data.md)')
    .option('--json <file>', "write it as JSON, with the metrics' scales and the replication's results rows")
    .option('--quiet', 'no lines announcing written files');
  maxMemoryOption(cmd).action((file: string, opts: Opts) => {
    checkWritable(opts.csv);
    checkWritable(opts.json);
    const scenario = loadScenario(file);
    if (opts.seed !== undefined) scenario.seed = /^-?\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
    const names = scenario.designs.map((d) => designName(d));
    const want = opts.design ?? names[0]!;
    const k = findDesign(scenario.designs, want);
    if (k < 0) throw new UserError(`--design "${want}" is not in ${file}; designs there: ${names.join(', ')}`, 'EARG');
    // one replication: the file's replication count is not run
    admit({ ...scenario, designs: [scenario.designs[k]!], replications: 2 }, { maxMemory: opts.maxMemory });
    const data = drawData(scenario, opts.rep, k);
    if (opts.csv) writeFile(opts.csv, drawCsv(data), opts.quiet);
    if (opts.json) writeFile(opts.json, drawJson(data), opts.quiet);
    if (!opts.csv && !opts.json) process.stdout.write(drawCsv(data));
    const scaled = data.metrics.filter((m) => m.scale !== 1).map((m) => `${m.name} x${m.scale}`);
    if (scaled.length && (opts.csv || opts.json) && !opts.quiet)
      process.stderr.write(`estimates of these metrics are the outcomes' estimates times a scale: ${scaled.join(', ')}\n`);
  });
}
