// The design frontier (issue 15): a two-way sweep of interference strength
// (the model's spillover parameter) and the number of clusters (the cluster
// design's Louvain resolution or net radius), and what it says: at each
// interference level, which design and estimator to use (the lowest RMSE
// among those with adequate power), and from which interference level on a
// cluster design's RMSE drops below the user-level design's (where cluster
// randomization starts to pay). The grid itself is a sweep (sweep.ts); this
// module picks the axes a scenario offers and reads the rows.
import { UserError } from '../errors.js';
import { designName, findDesign } from '../design/index.js';
import type { Scenario } from './parse-scenario.js';
import type { Results } from './run.js';
import { parsePath, runSweep, type SweepRow, type SweepValue, type Vary } from './sweep.js';

/** Adequate power: the recommendation's threshold unless --power says otherwise. */
export const POWER_MIN = 0.8;
/** A recommended estimator's intervals must cover the truth at least this far below their nominal level (0.90 for 95% intervals). */
export const COVERAGE_SLACK = 0.05;
/** An estimator compared in a crossover must be defined in at least this share of replications. */
export const USABLE_SHARE = 0.95;

export interface FrontierAxes {
  /** the interference parameter and its values, in increasing interference */
  interference: Vary & { what: string };
  /** the clustering parameter of one design and its values */
  clusters: Vary & { design: number; what: string };
}

const clean = (x: number) => Number(x.toPrecision(12));

/**
 * Each model's interference knob: a path inside `model`, its values from
 * none to strong, and what it is. Products switch spillover off and on.
 */
const INTERFERENCE: Record<string, { key: string; values: (m: Record<string, unknown>) => SweepValue[]; what: string }> = {
  'linear-in-means': {
    key: 'gamma',
    values: (m) => {
      const g = typeof m.gamma === 'number' && m.gamma > 0 ? m.gamma : 0.1;
      return [0, g / 2, g, 2 * g].map(clean);
    },
    what: 'γ, the weight of the share of friends treated',
  },
  'ugander-yin': { key: 'direct', values: () => [1, 0.75, 0.5, 0.25], what: 'direct share of the effect (1 = no interference)' },
  'group-calls': { key: 'spillover', values: () => [false, true], what: 'members without the feature join calls (spillover)' },
  'group-stories': { key: 'spillover', values: () => [false, true], what: 'members without the feature see group stories (spillover)' },
};

/** The default interference axis of a scenario's model. */
export function interferenceAxis(base: Scenario): FrontierAxes['interference'] {
  const m = base.model as unknown as Record<string, unknown> & { type: string };
  const k = INTERFERENCE[m.type];
  if (!k)
    throw new UserError(
      `frontier: no default interference parameter for model "${m.type}"; give one, e.g. --interference model.<parameter>=v1,v2,...`,
      'EARG',
    );
  return { path: `model.${k.key}`, values: k.values(m), what: k.what };
}

/** The default cluster axis: the first design clustered by Louvain (resolution) or a net (radius). */
export function clusterAxis(base: Scenario): FrontierAxes['clusters'] {
  for (const [i, d] of base.designs.entries()) {
    const c = (d as { clustering?: { method?: string; resolution?: number; radius?: number } }).clustering;
    if (c?.method === 'louvain') {
      const r = c.resolution ?? 1;
      return {
        path: `designs[${i}].clustering.resolution`,
        values: [0.25, 0.5, 1, 2, 4].map((f) => clean(f * r)),
        design: i,
        what: 'Louvain resolution (higher: more, smaller clusters)',
      };
    }
    if (c?.method === 'net') {
      return {
        path: `designs[${i}].clustering.radius`,
        values: [5, 4, 3, 2],
        design: i,
        what: 'net radius (smaller: more, smaller clusters)',
      };
    }
  }
  throw new UserError(
    'frontier: no design whose number of clusters can be varied (a design clustered by "louvain" or "net"); add one, or give --clusters designs[i].<path>=v1,v2,...',
    'EARG',
  );
}

/** The axes: the defaults, or the paths given (--interference, --clusters). */
export function frontierAxes(base: Scenario, given: { interference?: Vary; clusters?: Vary } = {}): FrontierAxes {
  const interference = given.interference ? { ...given.interference, what: given.interference.path } : interferenceAxis(base);
  let clusters: FrontierAxes['clusters'];
  if (given.clusters) {
    const keys = parsePath(given.clusters.path);
    if (keys[0] !== 'designs' || typeof keys[1] !== 'number' || keys.length < 3)
      throw new UserError(
        `--clusters ${given.clusters.path}: must be a path inside one design, e.g. designs[1].clustering.resolution`,
        'EARG',
      );
    clusters = { ...given.clusters, design: keys[1], what: given.clusters.path };
  } else clusters = clusterAxis(base);
  if (clusters.path === interference.path) throw new UserError(`frontier: --clusters and --interference are both ${clusters.path}`, 'EARG');
  return { interference, clusters };
}

/** One design · estimator at one grid point, as the frontier reads it. */
export interface Candidate {
  design: string;
  estimator: string;
  /** the cluster parameter's value; null for a design the cluster axis does not change */
  cluster: SweepValue | null;
  /** randomization units (clusters) of the design there */
  units: number | null;
  bias: number | null;
  sd: number | null;
  rmse: number;
  rmseSE: number | null;
  /** the diagnosis's power (over defined replications with an interval) */
  power: number | null;
  /** share of intervals covering the truth */
  coverage: number | null;
  /** power counting an undefined estimate as no finding: power × (1 − undefined share); what the rule uses */
  powerAll: number | null;
  undefinedShare: number;
}

/** The cluster design against the reference at one cluster value of one interference level. */
export interface Comparison {
  cluster: SweepValue;
  units: number | null;
  /** the best usable estimator of the cluster design here, and its RMSE */
  estimator: string;
  rmse: number;
  rmseSE: number | null;
  referenceEstimator: string;
  referenceRmse: number;
  referenceRmseSE: number | null;
  /** RMSE below the reference's */
  pays: boolean;
  /** the two RMSEs differ by more than 2 Monte Carlo SEs of the difference (SEs combined as if independent: conservative) */
  clear: boolean;
}

/** One interference level: the recommendation and where the cluster design pays. */
export interface FrontierLevel {
  metric: string;
  interference: SweepValue;
  /** lowest RMSE among candidates with powerAll ≥ the threshold; null when none reaches it */
  recommended: Candidate | null;
  /** lowest RMSE of all defined in at least USABLE_SHARE of replications, whatever its power */
  lowestRmse: Candidate | null;
  /** the cluster design against the reference at each cluster value (empty when either has no usable estimator) */
  comparisons: Comparison[];
}

/** From which interference level on a design's RMSE stays below the reference's. */
export interface Crossover {
  metric: string;
  design: string;
  /** the cluster value (the varied design), or null for a design the cluster axis does not change */
  cluster: SweepValue | null;
  units: number | null;
  /** the first interference value from which on it pays at every later value; null when it does not pay at the last */
  from: SweepValue | null;
  /** the value before `from` (where it did not pay); null when it pays from the first value or never */
  before: SweepValue | null;
  /** at `from`, the RMSEs differ by more than 2 MC SEs */
  clear: boolean;
}

export interface Frontier {
  axes: FrontierAxes;
  /** the user-level design every other is compared with */
  reference: string;
  /** the design the cluster axis varies */
  varied: string;
  powerMin: number;
  /** the least coverage a recommended estimator's intervals may have */
  coverageMin: number;
  rule: string;
  metrics: string[];
  levels: FrontierLevel[];
  crossovers: Crossover[];
}

export const ruleText = (powerMin: number, coverageMin: number) =>
  `recommended: the design · estimator with the lowest RMSE among those whose power is at least ${powerMin} at that interference level, an undefined estimate counting as no finding (power × (1 − undefined share)), and whose intervals cover the truth at least ${Math.round(100 * coverageMin)}% of the time (a test whose intervals are too narrow rejects often whatever the truth: its power is not evidence); where none qualifies, none is recommended and the lowest RMSE is shown instead. Cluster randomization pays where its RMSE (its best estimator defined in at least ${100 * USABLE_SHARE}% of replications) is below the user-level design's.`;

const same = (a: SweepValue, b: SweepValue) => a === b;

function candidate(r: SweepRow, cluster: SweepValue | null): Candidate | null {
  if (r.rmse === null) return null;
  return {
    design: r.design,
    estimator: r.estimator,
    cluster,
    units: r.units,
    bias: r.bias,
    sd: r.sd,
    rmse: r.rmse,
    rmseSE: r.rmseSE,
    power: r.power,
    coverage: r.coverage,
    powerAll: r.power === null ? null : r.power * (1 - r.undefinedShare),
    undefinedShare: r.undefinedShare,
  };
}

const lowest = (cs: readonly Candidate[]): Candidate | null =>
  cs.reduce<Candidate | null>((b, c) => (b === null || c.rmse < b.rmse ? c : b), null);

/** The usable estimator with the lowest RMSE among rows of one design. */
function bestUsable(rows: readonly SweepRow[]): SweepRow | null {
  let best: SweepRow | null = null;
  for (const r of rows) if (r.rmse !== null && 1 - r.undefinedShare >= USABLE_SHARE && (best === null || r.rmse < best.rmse!)) best = r;
  return best;
}

function differs(a: number, sa: number | null, b: number, sb: number | null): boolean {
  return Math.abs(a - b) > 2 * Math.sqrt((sa ?? 0) ** 2 + (sb ?? 0) ** 2);
}

/**
 * Read a frontier sweep's rows. `reference` is the user-level design (one
 * unit per user), `varied` the design the cluster axis changes; designs
 * named in neither are fixed candidates (their rows are the same at every
 * cluster value: common random numbers).
 */
export function analyseFrontier(
  rows: readonly SweepRow[],
  axes: FrontierAxes,
  names: { reference: string; varied: string },
  opts: { powerMin?: number; nominal?: number } = {},
): Frontier {
  const powerMin = opts.powerMin ?? POWER_MIN;
  const coverageMin = Number(((opts.nominal ?? 0.95) - COVERAGE_SLACK).toFixed(6));
  const { reference, varied } = names;
  const ip = axes.interference.path;
  const cp = axes.clusters.path;
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const levels: FrontierLevel[] = [];
  const crossovers: Crossover[] = [];
  const designs = [...new Set(rows.map((r) => r.design))];
  for (const metric of metrics) {
    const mine = rows.filter((r) => r.metric === metric);
    for (const g of axes.interference.values) {
      const at = mine.filter((r) => same(r.point[ip]!, g));
      // candidates: the varied design at every cluster value, every other design once (its best point: all are equal)
      const cands: Candidate[] = [];
      for (const r of at) {
        const c = candidate(r, r.design === varied ? r.point[cp]! : null);
        if (!c) continue;
        if (r.design === varied) cands.push(c);
        else {
          const k = cands.findIndex((x) => x.design === c.design && x.estimator === c.estimator);
          if (k < 0) cands.push(c);
          else if (c.rmse < cands[k]!.rmse) cands[k] = c;
        }
      }
      const powered = cands.filter(
        (c) => c.powerAll !== null && c.powerAll >= powerMin && c.coverage !== null && c.coverage >= coverageMin,
      );
      const comparisons: Comparison[] = [];
      for (const v of axes.clusters.values) {
        const here = at.filter((r) => same(r.point[cp]!, v));
        const ref = bestUsable(here.filter((r) => r.design === reference));
        const cl = bestUsable(here.filter((r) => r.design === varied));
        if (!ref || !cl) continue;
        comparisons.push({
          cluster: v,
          units: cl.units,
          estimator: cl.estimator,
          rmse: cl.rmse!,
          rmseSE: cl.rmseSE,
          referenceEstimator: ref.estimator,
          referenceRmse: ref.rmse!,
          referenceRmseSE: ref.rmseSE,
          pays: cl.rmse! < ref.rmse!,
          clear: differs(cl.rmse!, cl.rmseSE, ref.rmse!, ref.rmseSE),
        });
      }
      const usable = cands.filter((c) => 1 - c.undefinedShare >= USABLE_SHARE);
      levels.push({ metric, interference: g, recommended: lowest(powered), lowestRmse: lowest(usable), comparisons });
    }
    // crossovers along the interference axis: the varied design at each cluster value, each other design once
    const lines: { design: string; cluster: SweepValue | null }[] = [
      ...axes.clusters.values.map((v) => ({ design: varied, cluster: v as SweepValue | null })),
      ...designs.filter((d) => d !== varied && d !== reference).map((d) => ({ design: d, cluster: null })),
    ];
    const firstCluster = axes.clusters.values[0]!;
    for (const line of lines) {
      const steps = axes.interference.values.map((g) => {
        const here = mine.filter((r) => same(r.point[ip]!, g) && same(r.point[cp]!, line.cluster ?? firstCluster));
        const ref = bestUsable(here.filter((r) => r.design === reference));
        const d = bestUsable(here.filter((r) => r.design === line.design));
        if (!ref || !d) return null;
        return { units: d.units, pays: d.rmse! < ref.rmse!, clear: differs(d.rmse!, d.rmseSE, ref.rmse!, ref.rmseSE) };
      });
      if (steps.every((s) => s === null)) continue;
      // the first step from which on every step pays
      let k = steps.length;
      while (k > 0 && steps[k - 1]?.pays) k--;
      const found = k < steps.length;
      crossovers.push({
        metric,
        design: line.design,
        cluster: line.cluster,
        units: steps.find((s) => s !== null)?.units ?? null,
        from: found ? axes.interference.values[k]! : null,
        before: found && k > 0 ? axes.interference.values[k - 1]! : null,
        clear: found ? steps[k]!.clear : false,
      });
    }
  }
  return { axes, reference, varied, powerMin, coverageMin, rule: ruleText(powerMin, coverageMin), metrics, levels, crossovers };
}

/** The names the frontier compares: the design the cluster axis varies, and the user-level reference. */
export function frontierNames(base: Scenario, axes: FrontierAxes, reference?: string): { varied: string; reference?: string } {
  const spec = base.designs[axes.clusters.design];
  if (!spec) throw new UserError(`--clusters ${axes.clusters.path}: the scenario has ${base.designs.length} designs`, 'EARG');
  const varied = designName(spec);
  if (reference === undefined) return { varied };
  const k = findDesign(base.designs, reference);
  if (k < 0)
    throw new UserError(
      `--reference "${reference}" is not a design of the scenario; designs: ${base.designs.map(designName).join(', ')}`,
      'EARG',
    );
  const name = designName(base.designs[k]!);
  if (name === varied) throw new UserError(`--reference "${reference}" is the design the cluster axis varies`, 'EARG');
  return { varied, reference: name };
}

/**
 * Run the frontier's grid (interference slowest) with `run` and read it. The
 * reference, unless named, is the first design with one unit per user (known
 * after the first point runs, which fails at once without one).
 */
export async function runFrontier(
  base: Scenario,
  axes: FrontierAxes,
  run: (s: Scenario) => Results | Promise<Results>,
  opts: {
    reference?: string;
    powerMin?: number;
    /** read only this metric (the rows keep every metric) */
    metric?: string;
    onPoint?: (done: number, total: number, label: string) => void;
  } = {},
): Promise<{ rows: SweepRow[]; frontier: Frontier }> {
  const names = frontierNames(base, axes, opts.reference);
  let reference = names.reference;
  const rows = await runSweep(
    base,
    [axes.interference, axes.clusters],
    async (s) => {
      const res = await run(s);
      reference ??= res.designs.find((d) => d.units === res.graph.nodes && d.name !== names.varied)?.name;
      if (!reference)
        throw new UserError(
          'frontier: no user-level design (one randomization unit per user) to compare with; add one, e.g. { "type": "user-bernoulli", "name": "user", "p": 0.5 }, or name one with --reference',
          'EARG',
        );
      const metrics = [...new Set(res.diagnosis.map((d) => d.metric))];
      if (opts.metric !== undefined && !metrics.includes(opts.metric))
        throw new UserError(`--metric "${opts.metric}" is not a metric of the model; metrics: ${metrics.join(', ')}`, 'EARG');
      return res;
    },
    opts.onPoint,
  );
  const frontier = analyseFrontier(
    opts.metric === undefined ? rows : rows.filter((r) => r.metric === opts.metric),
    axes,
    { reference: reference!, varied: names.varied },
    { powerMin: opts.powerMin, nominal: 1 - base.alpha },
  );
  return { rows, frontier };
}
