// Set-up thread entry (run from dist/workers/setup.js): answers tasks of
// src/sim/setup.ts for the scenario in workerData (build the graph, or build
// one design); errors travel as plain fields so a user mistake stays one.
import { parentPort, workerData } from 'node:worker_threads';
import { buildDesignPart, buildGraphPart, type SetupReply, type SetupTask } from '../src/sim/setup.js';
import type { Scenario } from '../src/sim/scenario.js';

const scenario = workerData as Scenario;
parentPort?.on('message', (t: SetupTask) => {
  let reply: SetupReply;
  try {
    reply = { ok: t.task === 'graph' ? buildGraphPart(scenario) : buildDesignPart(scenario, t.graph, t.index, t.estimators) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { error: { name: err.name, message: err.message, code: (err as { code?: string }).code, stack: err.stack } };
  }
  parentPort!.postMessage(reply);
});
