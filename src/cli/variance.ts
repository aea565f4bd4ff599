// spillover variance <scenario>: the exact design variance of the
// Horvitz–Thompson estimator for each design and HT exposure setting, its
// expectation, and how conservative Aronow–Samii is on average, from the
// exposure probabilities and every user's potential outcomes (replication
// 0's model draw). Random clusterings (RGCR, mixtures) go through
// htVarianceOverClusterings. With --curve, the variance of a mixture of K
// clusterings against K, next to the RGCR limit.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { UserError } from '../errors.js';
import { loadScenario, type Scenario } from '../sim/scenario.js';
import { buildGraph } from '../sim/build-graph.js';
import { createDesign, designName, type Design, type DesignSpec } from '../design/index.js';
import { createModel } from '../model/index.js';
import { IPW_DEFAULTS, probabilitiesFor, type IpwOptions } from '../estimate/index.js';
import { horvitzThompson } from '../estimate/horvitz-thompson.js';
import { exposureMapping, type ExposureMapping } from '../estimate/exposure/index.js';
import { htMoments } from '../estimate/variance/exact.js';
import { completeRandomization } from '../estimate/variance/complete.js';
import { mappingCheck, potentialOutcomes, type PotentialOutcomes } from '../estimate/variance/outcomes.js';
import { drawnSource, fixedSource, overClusterings, type OverClusterings } from '../estimate/variance/clustering-sources.js';
import { marginalsOverClusterings } from '../estimate/variance/clusterings.js';
import { stream } from '../random/streams.js';
import type { SocialGraph } from '../graph/csr.js';
import { checkWritable, writeOutput } from '../report/output.js';
import { intArg } from './args.js';

const DEFAULT_CURVE = [1, 2, 5, 10, 20, 50, 100];

interface Opts {
  metric?: string;
  design?: string[];
  draws: number;
  curve?: string | true;
  chart?: string;
  json?: string;
}

export function registerVariance(cli: Command): void {
  cli
    .command('variance')
    .description('exact design variance of Horvitz–Thompson per design and exposure, E[HT] against the truth, and how conservative Aronow–Samii is; --curve: variance against the number of mixed clusterings')
    .argument('<scenario>', 'scenario JSON file')
    .option('--metric <name>', "metric (default: the model's first)")
    .option('--design <name...>', 'designs to analyse (default: all)')
    .option('--draws <n>', 'fresh clusterings for RGCR variances (Monte Carlo)', intArg('--draws', 2), 2000)
    .option('--curve [K-list]', `Var(HT) of a mixture of the first K clusterings for each K (default ${DEFAULT_CURVE.join(',')}), with the RGCR limit`)
    .option('--chart <file.svg>', 'write the curve as an SVG chart (implies --curve)')
    .option('--json <file>', 'also write the results as JSON')
    .action(async (file: string, opts: Opts) => {
      const ks = opts.curve !== undefined || opts.chart ? parseCurve(opts.curve) : null;
      checkWritable(opts.json);
      checkWritable(opts.chart);
      const scenario = loadScenario(file);
      const t = varianceTable(scenario, { ...opts, ks });
      process.stdout.write(formatVariance(t) + '\n');
      if (opts.json) writeOutput(opts.json, JSON.stringify(t, null, 2) + '\n');
      if (opts.chart) {
        const points = t.curves.flatMap((c) => c.points.filter((p) => p.variance !== null).map((p) => ({ design: c.design, k: p.k, variance: p.variance! })));
        const limits = t.curves.flatMap((c) => (c.limit.variance !== null ? [{ design: c.design, variance: c.limit.variance, se: c.limit.se ?? 0 }] : []));
        if (points.length === 0) {
          process.stderr.write(`chart not written: no variance on the curve could be computed (${t.curves[0]?.points[0]?.reason ?? 'none'})\n`);
        } else {
          const [{ varianceCurveChart }, { toSvg }] = await Promise.all([import('../report/charts/variance-curve.js'), import('../report/render.js')]);
          writeOutput(opts.chart, await toSvg(varianceCurveChart(points, limits, { metric: t.metric, exposure: t.curves[0]!.exposure })));
          process.stderr.write(`wrote ${opts.chart}\n`);
        }
      }
      if (opts.json) process.stderr.write(`wrote ${opts.json}\n`);
    });
}

function parseCurve(v: string | true | undefined): number[] {
  if (v === undefined || v === true) return DEFAULT_CURVE;
  const parts = v.split(',').map((s) => s.trim());
  const ks = parts.map(Number);
  if (parts.some((s) => s === '') || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new UserError(`--curve must be a comma-separated list of positive integers, got "${v}"`, 'EARG');
  if (Math.max(...ks) > 10_000) throw new UserError(`--curve: K up to 10,000 clusterings, got ${Math.max(...ks)}`, 'EARG');
  return [...new Set(ks)].sort((a, b) => a - b);
}

export interface VarianceRow {
  design: string;
  type: string;
  exposure: string;
  /** how the exposure probabilities were obtained */
  probabilities: { method: string; draws: number; jointDraws: number; dependentPairs: number | null };
  /** 'pairs': exact from the marginal and joint probabilities; 'clusterings': averaged over the design's clusterings */
  route: 'pairs' | 'clusterings';
  /** Var(HT), in the metric's scale squared; null when undefined or pending (see reason) */
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
  pending: boolean;
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
function htSettings(scenario: Scenario): { settings: IpwOptions[]; note: string | null } {
  const settings = new Map<string, IpwOptions>();
  for (const e of scenario.estimators) {
    if (e === 'ht') settings.set(JSON.stringify(IPW_DEFAULTS), IPW_DEFAULTS);
    else if (typeof e !== 'string' && e.estimator === 'ht') {
      const o = { mapping: e.exposure, draws: e.draws, batches: e.batches };
      settings.set(JSON.stringify(o), o);
    }
  }
  if (settings.size) return { settings: [...settings.values()], note: null };
  return { settings: [IPW_DEFAULTS], note: 'the scenario runs no ht estimator: shown for full-neighbourhood exposure' };
}

const mappingLabel = (o: IpwOptions) => (o.mapping.kind === 'fractional' ? `fractional q=${o.mapping.q}` : o.mapping.kind);

export function varianceTable(scenario: Scenario, opts: { metric?: string; design?: string[]; draws: number; ks?: number[] | null }): VarianceTable {
  const graph = buildGraph(scenario);
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
    const names = scenario.designs.map((d) => designName(d));
    const unknown = opts.design.filter((d) => !names.includes(d));
    if (unknown.length) throw new UserError(`--design: no design named ${unknown.map((d) => `"${d}"`).join(', ')}; the scenario has ${names.join(', ')}`, 'EARG');
  }
  const scale = metric.scale;
  const po = potentialOutcomes(model, scenario.seed, n, k);
  let truth = 0;
  for (let i = 0; i < n; i++) truth += (po.y1[i]! - po.y0[i]!) / n;
  const { settings, note } = htSettings(scenario);
  const notes: string[] = [];
  if (note) notes.push(note);
  if (!po.fixed) {
    notes.push(
      `the ${model.type} model's outcomes differ between replications: variances are conditional on replication 0's draw (the design variance); outcome noise adds on top, and "truth" is that draw's global effect`,
    );
  }

  const clusterings = new Map<string, { labels: Int32Array; count: number }>();
  const make = (spec: DesignSpec) => {
    const name = designName(spec);
    return createDesign({ graph, clusterings, rng: (p) => stream(scenario.seed, 'design', name, p) }, { ...spec, name });
  };
  const rows: VarianceRow[] = [];
  for (const spec of scenario.designs) {
    const name = designName(spec);
    if (opts.design && !opts.design.includes(name)) continue;
    const design = make(spec);
    const why = horvitzThompson.notApplicable(design);
    if (why) {
      notes.push(`${name}: not analysed (${why})`);
      continue;
    }
    for (const o of settings) rows.push(designRow(scenario, graph, model, po, design, o, k, scale, truth, opts.draws));
  }
  if (rows.length === 0) throw new UserError('variance: no design to analyse', 'EARG');

  const curves: CurveRow[] = [];
  if (opts.ks) {
    const mixtures = scenario.designs.filter((d) => d.type === 'mixture' && (!opts.design || opts.design.includes(designName(d))));
    if (mixtures.length === 0) throw new UserError('variance --curve: the scenario has no mixture design (type "mixture") to vary K for', 'EARG');
    // all-or-none exposure only: the first such HT setting, else full-neighbourhood
    const o = settings.find((s) => s.mapping.kind !== 'fractional') ?? IPW_DEFAULTS;
    if (o !== settings[0]) notes.push(`curve: ${mappingLabel(o)} exposure (over clusterings the variance needs all-or-none exposure)`);
    for (const spec of mixtures) curves.push(curveRow(scenario, graph, po, spec as Extract<DesignSpec, { type: 'mixture' }>, o, opts.ks, scale, opts.draws, make));
  }
  return { scenario: scenario.name, metric: metric.name, scale, fixedOutcomes: po.fixed, truth: truth * scale, rows, curves, notes };
}

function designRow(
  scenario: Scenario,
  graph: SocialGraph,
  model: ReturnType<typeof createModel>,
  po: PotentialOutcomes,
  design: Design,
  o: IpwOptions,
  metricIndex: number,
  scale: number,
  truth: number,
  draws: number,
): VarianceRow {
  const mapping = exposureMapping(o.mapping);
  const pr = probabilitiesFor({ graph, design, seed: scenario.seed }, o);
  const notes = [...pr.notes];
  const check = mappingCheck(graph, model, po, design, mapping, scenario.seed, metricIndex);
  if (check.differ > 0) {
    notes.push(
      `under replication 0's assignment ${check.differ} of ${check.exposed} users the mapping puts in a world have another outcome than their potential outcome there (the mapping misses part of the interference): this is the variance of HT fed the potential outcomes, not of the estimator as run`,
    );
  }
  const rc = design.randomClustering;
  const base = {
    design: design.name,
    type: design.type,
    exposure: mappingLabel(o),
    probabilities: { method: pr.method, draws: pr.draws, jointDraws: pr.jointDraws, dependentPairs: pr.pairs ? pr.pairs.other.length : null },
    truth: truth * scale,
    noChance: { treated: pr.zero1, control: pr.zero0 },
    notes,
    completeCovariance: null as number | null,
  };
  const moments = pr.pairs ? htMoments(pr, po.y1, po.y0, { complete: completeRandomization(graph.csr, design, mapping) ?? undefined }) : null;
  const asExpectation = moments ? moments.asExpectation * scale * scale : null;
  const noPairs = pr.notes.find((s) => s.includes('dependent pairs')) ?? 'no joint probabilities';
  if (moments && !rc) base.completeCovariance = moments.completeCovariance * scale * scale;
  if (moments && !rc && moments.completeCovariance !== 0) notes.push(`complete randomization: pairs sharing no unit, which the probabilities leave out, are correlated; their covariances (${fmt(base.completeCovariance)} of Var(HT)) are included exactly`);
  const ratio = (v: number | null): Pick<VarianceRow, 'conservative' | 'reason' | 'short'> => {
    if (v === null) return { conservative: null, reason: null, short: null };
    if (asExpectation === null) return { conservative: null, reason: noPairs, short: 'no joints' };
    if (!(v > 0)) return { conservative: null, reason: 'Var(HT) = 0', short: 'Var(HT) = 0' };
    return { conservative: asExpectation / v, reason: null, short: null };
  };

  if (!rc) {
    if (!moments) return { ...base, route: 'pairs', variance: null, varianceSE: null, sd: null, mean: null, asExpectation: null, conservative: null, clusterings: null, pending: false, reason: noPairs, short: 'no joints' };
    const v = moments.variance * scale * scale;
    return { ...base, route: 'pairs', variance: v, varianceSE: 0, sd: Math.sqrt(Math.max(0, v)), mean: moments.mean * scale, asExpectation, clusterings: null, pending: false, ...ratio(v) };
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
      pending: false,
      reason: 'over random clusterings the exact variance covers all-or-none exposure only, not fractional',
      short: 'fractional',
    };
  }
  const listing = notes.findIndex((s) => s.startsWith('mixture: pairs sharing no cluster'));
  if (listing >= 0) notes[listing] = 'E[AS] follows the estimator, whose pair list treats pairs sharing no cluster in any clustering as independent; Var(HT) over the clusterings keeps every pair';
  if (rc.kind === 'rgcr') notes.push(`E[AS] takes the Monte Carlo probabilities as exact; Var(HT) from ${draws} fresh clusterings (--draws)`);
  const src = rc.kind === 'mixture' && rc.fixed ? fixedSource(rc.fixed) : drawnSource(rc, graph.csr.n, scenario.seed, design.name, draws);
  const r = overClusterings(graph.csr, mapping.scope, rc.p, po.y1, po.y0, pr.p1, pr.p0, src);
  if (r.status === 'pending') {
    return { ...base, route: 'clusterings', variance: null, varianceSE: null, sd: null, mean: null, asExpectation, conservative: null, clusterings: count, pending: true, reason: r.reason, short: 'pending' };
  }
  const v = r.result.variance * scale * scale;
  return {
    ...base,
    route: 'clusterings',
    variance: finite(v),
    varianceSE: finite(r.result.se * scale * scale),
    sd: finite(Math.sqrt(Math.max(0, v))),
    mean: finite(r.result.mean * scale),
    asExpectation,
    clusterings: r.result.draws,
    pending: false,
    ...(finite(v) === null ? { conservative: null, reason: 'the average over clusterings is not a finite number', short: 'not finite' } : ratio(v)),
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
  const rc = design.randomClustering!;
  const cell = (r: OverClusterings) => (r.status === 'pending' ? { variance: null, sd: null, mean: null, reason: r.reason } : null);
  const points = ks.map((K): CurvePointRow => {
    // exact marginals of the mixture of the first K: the average over them of p^c and (1 − p)^c, c = clusters meeting i's neighbourhood
    const src = fixedSource(rc.fixed!, K);
    const m = marginalsOverClusterings(graph.csr, mapping.scope, rc.p, src);
    const r = overClusterings(graph.csr, mapping.scope, rc.p, po.y1, po.y0, m.p1, m.p0, src);
    const v = r.status === 'done' ? r.result.variance * scale * scale : null;
    return { k: K, ...(cell(r) ?? { variance: finite(v), sd: finite(v === null ? null : Math.sqrt(Math.max(0, v))), mean: r.status === 'done' ? finite(r.result.mean * scale) : null, reason: finite(v) === null ? 'not finite' : null }) };
  });
  const rgcr = make({ type: 'rgcr', name: `${name} (RGCR limit)`, p: spec.p, clustering: spec.clustering });
  const pr = probabilitiesFor({ graph, design: rgcr, seed: scenario.seed }, o, false);
  const r = overClusterings(graph.csr, mapping.scope, rc.p, po.y1, po.y0, pr.p1, pr.p0, drawnSource(rgcr.randomClustering!, graph.csr.n, scenario.seed, rgcr.name, draws));
  const limit =
    r.status === 'pending'
      ? { variance: null, se: null, draws, reason: r.reason }
      : { variance: finite(r.result.variance * scale * scale), se: finite(r.result.se * scale * scale), draws: r.result.draws, reason: null };
  const c = spec.clustering;
  return { design: name, exposure: mappingLabel(o), clustering: c.method === 'net' ? `${c.radius}-net` : c.method, p: rc.p, points, limit };
}

/** Four significant digits; never NaN or Infinity. */
function fmt(x: number | null, d = 4): string {
  if (x === null || !Number.isFinite(x)) return 'undefined';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e6 || a < 1e-4 ? x.toExponential(d - 1) : x.toPrecision(d);
}

function cellOf(x: number | null, short: string | null, pending: boolean): string {
  if (pending) return 'pending';
  if (x !== null) return fmt(x);
  return `undefined: ${short ?? 'see notes'}`;
}

function methodCell(r: VarianceRow): string {
  const p = r.probabilities;
  if (p.method !== 'monte carlo') return p.method;
  return `monte carlo, ${p.draws} draws${p.jointDraws && p.jointDraws !== p.draws ? ` (joints ${p.jointDraws})` : ''}`;
}

export function formatVariance(t: VarianceTable): string {
  const table = new Table({
    head: ['design', 'exposure', 'probabilities', 'Var(HT)', 'SD(HT)', 'E[HT]', 'truth', 'E[AS]/Var', 'no chance 1 / 0'],
    style: { head: [], border: [], compact: true },
  });
  const notes: string[] = [];
  let pending = false;
  for (const r of t.rows) {
    pending ||= r.pending;
    const v = r.variance !== null && r.varianceSE ? `${fmt(r.variance)} ±${fmt(r.varianceSE, 2)}` : cellOf(r.variance, r.short, r.pending);
    const short = (x: number | null) => (x !== null ? fmt(x) : r.pending ? 'pending' : 'undefined');
    const ratio = r.conservative !== null ? `${r.conservative.toPrecision(3)}×` : r.pending ? 'pending' : r.variance === null ? 'undefined' : `undefined: ${r.short}`;
    table.push([r.design, r.exposure, methodCell(r) + (r.route === 'clusterings' ? `; Var over ${r.clusterings} clusterings` : ''), v, short(r.sd), short(r.mean), fmt(r.truth), ratio, `${r.noChance.treated} / ${r.noChance.control}`]);
    for (const s of r.notes) notes.push(`  ${r.design}, ${r.exposure}: ${s}`);
    if (!r.pending && r.reason) notes.push(`  ${r.design}, ${r.exposure}: ${r.variance === null ? 'Var(HT)' : 'E[AS]/Var'} undefined: ${r.reason}`);
  }
  const out = [
    `${t.scenario}, metric ${t.metric}: exact design variance of Horvitz–Thompson, HT = (1/n)[Σ_{treated world} y1/π1 − Σ_{control world} y0/π0]`,
    table.toString(),
    'Var(HT), SD(HT): over the design\'s assignments, with every user\'s potential outcomes (model draw of replication 0); ± : Monte Carlo SE over fresh clusterings (RGCR).',
    'E[HT] against truth (the global effect): they differ by the users with no chance of a world, whom HT leaves out (counted in the last column).',
    'E[AS]/Var: expectation of the Aronow–Samii variance estimate over the exact variance; above 1 it is conservative by that factor (Young\'s bounds for pairs never seen together).',
    ...(pending ? ['pending: htVarianceOverClusterings (src/estimate/variance/clusterings.ts) is not yet implemented; designs with random clusterings show no variance until it is.'] : []),
    ...t.notes,
    ...notes,
  ];
  for (const c of t.curves) {
    const ct = new Table({ head: ['K', 'Var(HT)', 'SD(HT)', 'E[HT]'], style: { head: [], border: [], compact: true } });
    const pending = (reason: string | null) => reason?.includes('not yet implemented') ?? false;
    for (const p of c.points) {
      const miss = pending(p.reason) ? 'pending' : 'undefined';
      const cell = (x: number | null) => (x !== null ? fmt(x) : miss);
      ct.push([String(p.k), p.variance !== null ? fmt(p.variance) : pending(p.reason) ? 'pending' : `undefined: ${p.reason}`, cell(p.sd), cell(p.mean)]);
    }
    const lim = c.limit.variance !== null ? `${fmt(c.limit.variance)} ±${fmt(c.limit.se, 2)} (${c.limit.draws} fresh clusterings)` : pending(c.limit.reason) ? 'pending' : `undefined: ${c.limit.reason}`;
    out.push('', `${c.design}: mixture of the first K ${c.clustering} clusterings (p = ${c.p}), ${c.exposure} exposure; exact Var(HT) for each K`, ct.toString(), `RGCR limit (K → ∞, a fresh ${c.clustering} every draw): ${lim}`);
  }
  return out.join('\n');
}
