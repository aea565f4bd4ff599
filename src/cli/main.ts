// spillover command line: one module per command, registered here. User
// mistakes (UserError) print one clear message and exit 2; anything else is
// a bug and keeps its stack.
import { Command, CommanderError, Help } from 'commander';
import { Interrupted, UserError } from '../errors.js';
import { registerRun } from './run.js';
import { registerReadout } from './readout.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerSweep } from './sweep.js';
import { registerServe } from './serve.js';
import { registerPower } from './power.js';
import { registerExposure } from './exposure.js';
import { registerVariance } from './variance.js';
import { registerDraw } from './draw.js';
import { registerCalibrate } from './calibrate.js';
import { packageVersion } from './version.js';

export function program(): Command {
  const cli = new Command('spillover')
    .description('Simulate experiments on social networks with interference and diagnose designs and estimators.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) })
    // help says which options a command cannot run without (commander lists them like the others)
    .configureHelp({ optionDescription: (o) => `${o.mandatory ? '(required) ' : ''}${new Help().optionDescription(o)}` });
  registerRun(cli);
  registerReadout(cli);
  registerMerge(cli);
  registerReport(cli);
  registerSweep(cli);
  registerServe(cli);
  registerPower(cli);
  registerExposure(cli);
  registerVariance(cli);
  registerDraw(cli);
  registerCalibrate(cli);
  return cli;
}

export async function main(argv = process.argv): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UserError) {
      process.stderr.write(`spillover: ${e.message}\n`);
      return e instanceof Interrupted ? e.exitCode : 2;
    }
    throw e;
  }
}
