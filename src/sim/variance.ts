// The exact design variance of Horvitz–Thompson per design and HT exposure
// setting, E[HT], and how conservative Aronow–Samii is on average, from the
// exposure probabilities and every user's potential outcomes (replication
// 0's model draw). Random clusterings (RGCR, mixtures) go through
// htVarianceOverClusterings; `curves` gives the variance of a mixture of K
// clusterings against K, next to the RGCR limit. `spillover variance` prints
// it; `run --exact` adds it to the results.
import { UserError } from '../errors.js';
import type { Scenario } from './scenario.js';
import { buildGraph } from './build-graph.js';
import { createDesign, designName, randomClusteringOf, type Design, type DesignSpec } from '../design/index.js';
import { createModel } from '../model/index.js';
import { estimatorFromSpec, IPW_DEFAULTS, probabilitiesFor, type IpwOptions } from '../estimate/index.js';
import { horvitzThompson } from '../estimate/horvitz-thompson.js';
import { exposureMapping, type ExposureMapping } from '../estimate/exposure/index.js';
import { htMoments } from '../estimate/variance/exact.js';
import { completeRandomization } from '../estimate/variance/complete.js';
import { mappingCheck, potentialOutcomes, type PotentialOutcomes } from '../estimate/variance/outcomes.js';
import { drawnSource, fixedSource } from '../estimate/variance/clustering-sources.js';
import { htVarianceOverClusterings, marginalsOverClusterings } from '../estimate/variance/clusterings.js';
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';
import type { SocialGraph } from '../graph/csr.js';

export interface VarianceRow {
  design: string;
  /** the scenario's estimators (result labels) this row is the HT of */
  estimators: string[];
  type: string;
  exposure: string;
  /** how the exposure probabilities were obtained */
  probabilities: { method: string; draws: number; jointDraws: number; dependentPairs: number | null };
  /** 'pairs': exact from the marginal and joint probabilities; 'clusterings': averaged over the design's clusterings */
  route: 'pairs' | 'clusterings';
  /** Var(HT), in the metric's scale squared; null when undefined (see reason) */
  variance: number | null;
  /** Monte Carlo SE of the variance (RGCR); 0 when exact */
  varianceSE: number | null;
  sd: number | null;
  /** E[HT] */
  mean: number | null;
  /** the global effect of these potential outcomes */
  truth: number;
  /** E of the Aronow–Samii variance estimate, and its ratio to Var(HT) */
  asExpectation: number | null;
  conservative: number | null;
  /** part of variance from pairs sharing no unit under complete randomization (0 otherwise; null when not computed) */
  completeCovariance: number | null;
  /** fresh clusterings averaged over (RGCR), or the mixture's K */
  clusterings: number | null;
  noChance: { treated: number; control: number };
  /** why variance (or the ratio) is missing, in full and in a few words for the table */
  reason: string | null;
  short: string | null;
  notes: string[];
}

export interface CurvePointRow {
  k: number;
  variance: number | null;
  sd: number | null;
  mean: number | null;
  reason: string | null;
}

export interface CurveRow {
  design: string;
  exposure: string;
  clustering: string;
  p: number;
  points: CurvePointRow[];
  /** the RGCR limit: the same clusterer drawn afresh for every assignment */
  limit: { variance: number | null; se: number | null; draws: number; reason: string | null };
}

export interface VarianceTable {
  scenario: string;
  metric: string;
  scale: number;
  /** potential outcomes are the same in every replication's draw */
  fixedOutcomes: boolean;
  truth: number;
  rows: VarianceRow[];
  curves: CurveRow[];
  notes: string[];
}

const finite = (x: number | null | undefined): number | null => (x !== null && x !== undefined && Number.isFinite(x) ? x : null);

/** The distinct exposure settings of the scenario's HT entries (full-neighbourhood when it has none). */
function htSettings(scenario: Scenario): { settings: (IpwOptions & { ids: string[] })[]; note: string | null } {
  const settings = new Map<string, IpwOptions & { ids: string[] }>();
  const add = (o: IpwOptions, id: string) => {
    const key = JSON.stringify(o);
    const s = settings.get(key) ?? { ...o, ids: [] };
    s.ids.push(id);
    settings.set(key, s);
  };
  for (const e of scenario.estimators) {
    if (e === 'ht') add(IPW_DEFAULTS, 'ht');
    else if (typeof e !== 'string' && e.estimator === 'ht')
      add({ mapping: e.exposure, draws: e.draws, batches: e.batches }, estimatorFromSpec(e).id);
  }
  if (settings.size) return { settings: [...settings.values()], note: null };
  return { settings: [{ ...IPW_DEFAULTS, ids: [] }], note: 'the scenario runs no ht estimator: shown for full-neighbourhood exposure' };
}

const mappingLabel = (o: IpwOptions) => (o.mapping.kind === 'fractional' ? `fractional q=${o.mapping.q}` : o.mapping.kind);

export interface VarianceOptions {
  metric?: string;
  design?: string[];
  draws: number;
  ks?: number[] | null;
}

/** What every (design, exposure setting) row of a scenario's table shares: built alike in any thread from the scenario, the graph and the options. */
interface VarianceContext {
  scenario: Scenario;
  graph: SocialGraph;
  model: ReturnType<typeof createModel>;
  metricName: string;
  k: number;
  scale: number;
  po: PotentialOutcomes;
  truth: number;
  settings: (IpwOptions & { ids: string[] })[];
  settingsNote: string | null;
  draws: number;
  cache: Map<string, unknown>;
  make: (spec: DesignSpec) => Design;
}

function varianceContext(
  scenario: Scenario,
  opts: VarianceOptions & {
    graph?: SocialGraph;
    cache?: Map<string, unknown>;
    clusterings?: Map<string, { labels: Int32Array; count: number }>;
  },
): VarianceContext {
  const graph = opts.graph ?? buildGraph(scenario);
  const n = graph.csr.n;
  const model = createModel({ graph }, scenario.model);
  const metrics = model.metrics;
  const k = opts.metric === undefined ? 0 : metrics.findIndex((m) => m.name === opts.metric);
  if (k < 0) throw new UserError(`metric "${opts.metric}" not in the model; it has ${metrics.map((m) => m.name).join(', ')}`, 'EARG');
  const metric = metrics[k]!;
  if (metric.ratio) {
    const means = metrics.filter((m) => !m.ratio).map((m) => m.name);
    throw new UserError(
      `variance: metric "${metric.name}" is a ratio, whose HT estimate is a ratio of HT totals with no exact variance here; choose a mean metric with --metric${means.length ? ` (${means.join(', ')})` : ''}`,
      'EARG',
    );
  }
  if (opts.design) {
    const known = scenario.designs.map((d) => designName(d));
    const unknown = opts.design.filter((d) => !known.includes(d));
    if (unknown.length)
      throw new UserError(
        `--design: no design named ${unknown.map((d) => `"${d}"`).join(', ')}; the scenario has ${known.join(', ')}`,
        'EARG',
      );
  }
  const po = potentialOutcomes(model, scenario.seed, n, k);
  let truth = 0;
  for (let i = 0; i < n; i++) truth += (po.y1[i]! - po.y0[i]!) / n;
  const { settings, note } = htSettings(scenario);
  const clusterings = opts.clusterings ?? new Map<string, { labels: Int32Array; count: number }>();
  const make = (spec: DesignSpec) => {
    const name = designName(spec);
    return createDesign({ graph, clusterings, rng: (p) => stream(scenario.seed, ...names.design(name, p)) }, { ...spec, name });
  };
  return {
    scenario,
    graph,
    model,
    metricName: metric.name,
    k,
    scale: metric.scale,
    po,
    truth,
    settings,
    settingsNote: note,
    draws: opts.draws,
    cache: opts.cache ?? new Map<string, unknown>(),
    make,
  };
}

/** One unit of a table's work: design `design` (index in the scenario) under HT exposure setting `setting`. */
export interface VarianceTask {
  design: number;
  setting: number;
}

/** The tasks of a table, in its row order: the designs asked for, each with every setting. */
export function varianceTasks(scenario: Scenario, opts: VarianceOptions): VarianceTask[] {
  const { settings } = htSettings(scenario);
  return scenario.designs.flatMap((spec, design) =>
    opts.design && !opts.design.includes(designName(spec)) ? [] : settings.map((_, setting) => ({ design, setting })),
  );
}

/** A task's row, or why HT does not apply to its design. */
export type VarianceResult = { row: VarianceRow } | { skipped: string };

function runTask(c: VarianceContext, t: VarianceTask, design = c.make(c.scenario.designs[t.design]!)): VarianceResult {
  const why = horvitzThompson.notApplicable(design);
  if (why) return { skipped: `${design.name}: not analysed (${why})` };
  const o = c.settings[t.setting]!;
  return { row: designRow(c.scenario, c.graph, c.model, c.po, design, o, c.k, c.scale, c.truth, c.draws, c.cache) };
}

/** Tasks' rows computed in this thread (a set-up thread of `variance --workers`): each builds its own model and design from the scenario. */
export function varianceResults(scenario: Scenario, graph: SocialGraph, opts: VarianceOptions, tasks: VarianceTask[]): VarianceResult[] {
  const c = varianceContext(scenario, { ...opts, ks: null, graph });
  return tasks.map((t) => runTask(c, t));
}

/**
 * The table in this thread. `results`, when given, are the tasks' results
 * (varianceTasks order) computed elsewhere (set-up threads): the same
 * numbers, since every task draws only from streams named by its design.
 */
export function varianceTable(
  scenario: Scenario,
  opts: VarianceOptions & {
    graph?: SocialGraph;
    cache?: Map<string, unknown>;
    clusterings?: Map<string, { labels: Int32Array; count: number }>;
    results?: VarianceResult[];
  },
): VarianceTable {
  const c = varianceContext(scenario, opts);
  const { po, model } = c;
  const notes: string[] = [];
  if (c.settingsNote) notes.push(c.settingsNote);
  if (!po.fixed) {
    notes.push(
      `the ${model.type} model's outcomes differ between replications: variances are conditional on replication 0's draw (the design variance); outcome noise adds on top, and "truth" is that draw's global effect`,
    );
  }

  const tasks = varianceTasks(scenario, opts);
  const rows: VarianceRow[] = [];
  const designs = new Map<number, Design>();
  tasks.forEach((t, q) => {
    let r = opts.results?.[q];
    if (!r) {
      // in this thread: one design object for all of its settings
      let design = designs.get(t.design);
      if (!design) designs.set(t.design, (design = c.make(scenario.designs[t.design]!)));
      r = runTask(c, t, design);
    }
    if ('row' in r) rows.push(r.row);
    else if (t.setting === 0) notes.push(r.skipped);
  });
  if (rows.length === 0) throw new UserError('variance: no design to analyse', 'EARG');

  const curves: CurveRow[] = [];
  if (opts.ks) {
    const mixtures = scenario.designs.filter(
      (d) => randomClusteringOf(c.make(d))?.kind === 'mixture' && (!opts.design || opts.design.includes(designName(d))),
    );
    if (mixtures.length === 0)
      throw new UserError('variance --curve: the scenario has no mixture design (type "mixture") to vary K for', 'EARG');
    // all-or-none exposure only: the first such HT setting, else full-neighbourhood
    const settings = c.settings;
    const o = settings.find((s) => s.mapping.kind !== 'fractional') ?? IPW_DEFAULTS;
    if (o !== settings[0]) notes.push(`curve: ${mappingLabel(o)} exposure (over clusterings the variance needs all-or-none exposure)`);
    for (const spec of mixtures)
      curves.push(
        curveRow(scenario, c.graph, po, spec as Extract<DesignSpec, { type: 'mixture' }>, o, opts.ks, c.scale, opts.draws, c.make),
      );
  }
  return {
    scenario: scenario.name,
    metric: c.metricName,
    scale: c.scale,
    fixedOutcomes: po.fixed,
    truth: c.truth * c.scale,
    rows,
    curves,
    notes,
  };
}

function designRow(
  scenario: Scenario,
  graph: SocialGraph,
  model: ReturnType<typeof createModel>,
  po: PotentialOutcomes,
  design: Design,
  o: IpwOptions & { ids: string[] },
  metricIndex: number,
  scale: number,
  truth: number,
  draws: number,
  cache: Map<string, unknown>,
): VarianceRow {
  const mapping = exposureMapping(o.mapping);
  const pr = probabilitiesFor({ graph, design, seed: scenario.seed, cache }, o);
  const notes = [...pr.notes];
  const check = mappingCheck(graph, model, po, design, mapping, scenario.seed, metricIndex);
  if (check.differ > 0) {
    notes.push(
      `under replication 0's assignment ${check.differ} of ${check.exposed} users the mapping puts in a world have another outcome than their potential outcome there (the mapping misses part of the interference): this is the variance of HT fed the potential outcomes, not of the estimator as run`,
    );
  }
  const rc = randomClusteringOf(design);
  const base = {
    design: design.name,
    estimators: o.ids,
    type: design.type,
    exposure: mappingLabel(o),
    probabilities: {
      method: pr.method,
      draws: pr.draws,
      jointDraws: pr.jointDraws,
      dependentPairs: pr.pairs ? pr.pairs.other.length : null,
    },
    truth: truth * scale,
    noChance: { treated: pr.zero1, control: pr.zero0 },
    notes,
    completeCovariance: null as number | null,
  };
  const moments = pr.pairs
    ? htMoments(pr, po.y1, po.y0, { complete: completeRandomization(graph.csr, design, mapping) ?? undefined })
    : null;
  const asExpectation = moments ? moments.asExpectation * scale * scale : null;
  const noPairs = pr.notes.find((s) => s.includes('dependent pairs')) ?? 'no joint probabilities';
  if (moments && !rc) base.completeCovariance = moments.completeCovariance * scale * scale;
  if (moments && !rc && moments.completeCovariance !== 0)
    notes.push(
      `complete randomization: pairs sharing no unit, which the probabilities leave out, are correlated; their covariances (${base.completeCovariance!.toPrecision(4)} of Var(HT)) are included exactly`,
    );
  const ratio = (v: number | null): Pick<VarianceRow, 'conservative' | 'reason' | 'short'> => {
    if (v === null) return { conservative: null, reason: null, short: null };
    if (asExpectation === null) return { conservative: null, reason: noPairs, short: 'no joints' };
    if (!(v > 0)) return { conservative: null, reason: 'Var(HT) = 0', short: 'Var(HT) = 0' };
    return { conservative: asExpectation / v, reason: null, short: null };
  };

  if (!rc) {
    if (!moments)
      return {
        ...base,
        route: 'pairs',
        variance: null,
        varianceSE: null,
        sd: null,
        mean: null,
        asExpectation: null,
        conservative: null,
        clusterings: null,
        reason: noPairs,
        short: 'no joints',
      };
    const v = moments.variance * scale * scale;
    return {
      ...base,
      route: 'pairs',
      variance: v,
      varianceSE: 0,
      sd: Math.sqrt(Math.max(0, v)),
      mean: moments.mean * scale,
      asExpectation,
      clusterings: null,
      ...ratio(v),
    };
  }
  // a random clustering: average over clusterings (a mixture's own K exactly, RGCR by fresh draws)
  const count = rc.kind === 'mixture' && rc.fixed ? rc.fixed.length : draws;
  if (o.mapping.kind === 'fractional') {
    return {
      ...base,
      route: 'clusterings',
      variance: null,
      varianceSE: null,
      sd: null,
      mean: null,
      asExpectation,
      conservative: null,
      clusterings: count,
      reason: 'over random clusterings the exact variance covers all-or-none exposure only, not fractional',
      short: 'fractional',
    };
  }
  const listing = notes.findIndex((s) => s.startsWith('mixture: pairs sharing no cluster'));
  if (listing >= 0)
    notes[listing] =
      'E[AS] follows the estimator, whose pair list treats pairs sharing no cluster in any clustering as independent; Var(HT) over the clusterings keeps every pair';
  if (rc.kind === 'rgcr')
    notes.push(`E[AS] takes the Monte Carlo probabilities as exact; Var(HT) from ${draws} fresh clusterings (--draws)`);
  const src = rc.kind === 'mixture' && rc.fixed ? fixedSource(rc.fixed) : drawnSource(rc, graph.csr.n, scenario.seed, design.name, draws);
  const result = htVarianceOverClusterings(graph.csr, mapping.scope, rc.p, po.y1, po.y0, pr.p1, pr.p0, src);
  const v = result.variance * scale * scale;
  return {
    ...base,
    route: 'clusterings',
    variance: finite(v),
    varianceSE: finite(result.se * scale * scale),
    sd: finite(Math.sqrt(Math.max(0, v))),
    mean: finite(result.mean * scale),
    asExpectation,
    clusterings: result.draws,
    ...(finite(v) === null
      ? { conservative: null, reason: 'the average over clusterings is not a finite number', short: 'not finite' }
      : ratio(v)),
  };
}

function curveRow(
  scenario: Scenario,
  graph: SocialGraph,
  po: PotentialOutcomes,
  spec: Extract<DesignSpec, { type: 'mixture' }>,
  o: IpwOptions,
  ks: number[],
  scale: number,
  draws: number,
  make: (spec: DesignSpec) => Design,
): CurveRow {
  const name = designName(spec);
  const mapping: ExposureMapping = exposureMapping(o.mapping);
  // the scenario's own name keeps its clusterings: the first k of the longer list are the scenario's mixture
  const design = make({ ...spec, name, k: Math.max(...ks) });
  const rc = randomClusteringOf(design)!;
  const points = ks.map((K): CurvePointRow => {
    // exact marginals of the mixture of the first K: the average over them of p^c and (1 − p)^c, c = clusters meeting i's neighbourhood
    const src = fixedSource(rc.fixed!, K);
    const m = marginalsOverClusterings(graph.csr, mapping.scope, rc.p, src);
    const r = htVarianceOverClusterings(graph.csr, mapping.scope, rc.p, po.y1, po.y0, m.p1, m.p0, src);
    const v = finite(r.variance * scale * scale);
    return {
      k: K,
      variance: v,
      sd: v === null ? null : Math.sqrt(Math.max(0, v)),
      mean: finite(r.mean * scale),
      reason: v === null ? 'not finite' : null,
    };
  });
  const rgcr = make({ type: 'rgcr', name: `${name} (RGCR limit)`, p: spec.p, clustering: spec.clustering });
  const pr = probabilitiesFor({ graph, design: rgcr, seed: scenario.seed }, o, false);
  const r = htVarianceOverClusterings(
    graph.csr,
    mapping.scope,
    rc.p,
    po.y1,
    po.y0,
    pr.p1,
    pr.p0,
    drawnSource(randomClusteringOf(rgcr)!, graph.csr.n, scenario.seed, rgcr.name, draws),
  );
  const limit = { variance: finite(r.variance * scale * scale), se: finite(r.se * scale * scale), draws: r.draws, reason: null };
  const c = spec.clustering;
  return { design: name, exposure: mappingLabel(o), clustering: c.method === 'net' ? `${c.radius}-net` : c.method, p: rc.p, points, limit };
}

/** Exact HT standard deviation next to a results row (run --exact). */
export interface ExactSD {
  design: string;
  estimator: string;
  metric: string;
  /** SD(HT) over the design, ± its Monte Carlo SE (RGCR); null with a reason */
  sd: number | null;
  sdSE: number | null;
  reason: string | null;
}

/**
 * Exact SD of every HT row of a run, for each mean metric (ratio metrics
 * have no exact variance here). RGCR variances are Monte Carlo over `draws`
 * fresh clusterings; the SE of the SD is the delta method's SE/(2 SD).
 */
export function exactSDs(
  scenario: Scenario,
  graph: SocialGraph,
  draws: number,
  clusterings?: Map<string, { labels: Int32Array; count: number }>,
): ExactSD[] {
  const model = createModel({ graph }, scenario.model);
  const cache = new Map<string, unknown>();
  const out: ExactSD[] = [];
  if (!scenario.estimators.some((e) => e === 'ht' || (typeof e !== 'string' && e.estimator === 'ht'))) return out;
  for (const metric of model.metrics) {
    if (metric.ratio) continue;
    const t = varianceTable(scenario, { metric: metric.name, draws, graph, cache, clusterings });
    for (const r of t.rows) {
      const sd = r.sd;
      const sdSE = sd !== null && sd > 0 && r.varianceSE ? r.varianceSE / (2 * sd) : sd !== null ? 0 : null;
      for (const estimator of r.estimators)
        out.push({ design: r.design, estimator, metric: metric.name, sd, sdSE, reason: sd === null ? r.reason : null });
    }
  }
  return out;
}
