// Set-up thread entry (run from dist/workers/setup.js): builds the run's
// shared set-up from the scenario in workerData and posts it back; errors
// travel as plain fields so a user mistake stays one.
import { parentPort, workerData } from 'node:worker_threads';
import { buildSetup, type SetupMessage } from '../src/sim/setup.js';
import type { Scenario } from '../src/sim/scenario.js';

let msg: SetupMessage;
try {
  msg = { setup: buildSetup(workerData as Scenario) };
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  msg = { error: { name: err.name, message: err.message, code: (err as { code?: string }).code, stack: err.stack } };
}
parentPort?.postMessage(msg);
