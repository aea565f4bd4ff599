// Set-up thread entry (run from dist/workers/setup.js): answers tasks of
// src/sim/setup.ts for the scenario in workerData (build the graph, or build
// one design, or rows of `spillover variance`), listing dependent pairs within the budget admission gave the
// main thread; errors travel as plain fields so a user mistake stays one.
import { parentPort, workerData } from 'node:worker_threads';
import { buildDesignPart, buildGraphPart, type SetupData, type SetupReply, type SetupTask } from '../src/sim/setup.js';
import { setPairBudget } from '../src/estimate/exposure/budget.js';
import { varianceResults } from '../src/sim/variance.js';

const { scenario, pairBudget } = workerData as SetupData;
setPairBudget(pairBudget);
parentPort?.on('message', (t: SetupTask) => {
  let reply: SetupReply;
  try {
    reply = {
      ok:
        t.task === 'graph'
          ? buildGraphPart(scenario)
          : t.task === 'design'
            ? buildDesignPart(scenario, t.graph, t.index, t.estimators)
            : varianceResults(scenario, t.graph, t.options, t.tasks),
    };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { error: { name: err.name, message: err.message, code: (err as { code?: string }).code, stack: err.stack } };
  }
  parentPort!.postMessage(reply);
});
