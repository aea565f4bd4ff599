// A plan is everything fixed across replications: graph, designs with their
// clusterings and exposure probabilities, model and prepared estimators.
// Built once per process (or worker) from the scenario alone, so any process
// can run any replication.
import type { SocialGraph } from '../graph/csr.js';
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';
import { createDesign, designName, type Design } from '../design/index.js';
import { createModel, type OutcomeModel } from '../model/index.js';
import { estimatorFromSpec, type Estimate, type Inquiry, type RepData } from '../estimate/index.js';
import type { Scenario } from './scenario.js';
import { buildGraph } from './build-graph.js';

export interface PreparedEstimator {
  readonly id: string;
  readonly label: string;
  /** the inquiry its rows' truth is of; absent = the global effect */
  readonly inquiry?: Inquiry;
  readonly run: (rep: RepData) => Estimate;
}

export interface PreparedDesign {
  readonly design: Design;
  readonly estimators: PreparedEstimator[];
  /** estimators that do not apply to this design, with the reason */
  readonly skipped: { id: string; reason: string }[];
}

export interface Plan {
  readonly scenario: Scenario;
  readonly graph: SocialGraph;
  readonly model: OutcomeModel<any>;
  readonly designs: PreparedDesign[];
  /** clusterings computed for the designs, by design name (reusable by workers) */
  readonly clusterings: Map<string, { labels: Int32Array; count: number }>;
}

/** Per design name, the cache its estimators share (see EstimatorContext.cache). */
export type PlanCaches = Map<string, Map<string, unknown>>;

const notPrepared = (): never => {
  throw new Error('estimator used from a plan built with prepareEstimators: false');
};

export function buildPlan(
  scenario: Scenario,
  graph: SocialGraph = buildGraph(scenario),
  clusterings = new Map<string, { labels: Int32Array; count: number }>(),
  /**
   * prepareEstimators: false skips their one-off work (a plan that is only described);
   * caches: per design, entries already computed (read) and where new ones go (written)
   */
  options: { prepareEstimators?: boolean; caches?: PlanCaches } = {},
): Plan {
  const model = createModel({ graph }, scenario.model);
  const designs = scenario.designs.map((spec) => {
    const name = designName(spec);
    const design = createDesign({ graph, clusterings, rng: (purpose) => stream(scenario.seed, ...names.design(name, purpose)) }, spec);
    const estimators: PreparedEstimator[] = [];
    const skipped: { id: string; reason: string }[] = [];
    // shared by this design's estimators: exposure probabilities are computed once
    let cache = options.caches?.get(name);
    if (!cache) options.caches?.set(name, (cache = new Map<string, unknown>()));
    for (const entry of scenario.estimators) {
      const est = estimatorFromSpec(entry);
      const reason = est.notApplicable(design);
      if (reason) skipped.push({ id: est.id, reason });
      else if (options.prepareEstimators === false)
        estimators.push({ id: est.id, label: est.label, inquiry: est.inquiry, run: notPrepared });
      else
        estimators.push({
          id: est.id,
          label: est.label,
          inquiry: est.inquiry,
          run: est.prepare({ graph, design, seed: scenario.seed, cache }),
        });
    }
    return { design, estimators, skipped };
  });
  return { scenario, graph, model, designs, clusterings };
}
