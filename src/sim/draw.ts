// One replication's microdata (DeclareDesign's draw_data): per user of one
// design's experiment in replication r, who they are, how they were
// assigned, their exposure under each mapping the estimators use, and each
// metric's observed and potential outcomes. Every number comes from the
// streams the replication itself uses (replicate.ts: the model's draw from
// names.rep, the assignment from names.repAssign), so re-estimating from
// these columns gives the replication's rows in the results.
import { fastStream } from '../random/fast.js';
import * as names from '../random/names.js';
import { assignment } from '../design/index.js';
import { outcomeBuffers } from '../model/index.js';
import { estimatorFromSpec, IPW_DEFAULTS, probabilitiesFor, type IpwOptions } from '../estimate/index.js';
import { exposureMapping } from '../estimate/exposure/index.js';
import { buildPlan, type PlanCaches } from './plan.js';
import { replicationCore, type Row } from './replicate.js';
import type { Scenario } from './scenario.js';
import { buildGraph } from './build-graph.js';

export type Value = number | string | null;

export interface DrawColumn {
  name: string;
  values: ArrayLike<Value>;
}

export interface DrawData {
  scenario: string;
  seed: number | string;
  rep: number;
  design: string;
  /** per metric: whether it is a ratio (num/den) and the factor its estimates are multiplied by */
  metrics: { name: string; ratio: boolean; scale: number }[];
  /** exposure mappings of the design's ht/hajek estimators, by column suffix */
  mappings: { key: string; column: string; estimators: string[] }[];
  columns: DrawColumn[];
  /** the replication's rows for this design, as the results table has them */
  rows: Row[];
}

/** A column-name-safe form of a mapping key ("fractional:0.75" -> "fractional_0.75"). */
export const columnSuffix = (key: string): string => key.replace(/[^A-Za-z0-9.]+/g, '_');

/** ht/hajek entries of the scenario that apply to the design, grouped by exposure setting. */
function ipwSettings(scenario: Scenario, applies: Set<string>): { opts: IpwOptions; ids: string[] }[] {
  const out = new Map<string, { opts: IpwOptions; ids: string[] }>();
  for (const entry of scenario.estimators) {
    const kind = typeof entry === 'string' ? entry : 'estimator' in entry ? entry.estimator : null;
    if (kind !== 'ht' && kind !== 'hajek') continue;
    const id = estimatorFromSpec(entry).id;
    if (!applies.has(id)) continue;
    const o = entry as { exposure?: IpwOptions['mapping']; draws?: number; batches?: number };
    const opts: IpwOptions =
      typeof entry === 'string'
        ? IPW_DEFAULTS
        : { mapping: o.exposure ?? IPW_DEFAULTS.mapping, draws: o.draws ?? IPW_DEFAULTS.draws, batches: o.batches ?? IPW_DEFAULTS.batches };
    const key = `${exposureMapping(opts.mapping).key}/${opts.draws}/${opts.batches}`;
    const s = out.get(key) ?? { opts, ids: [] };
    s.ids.push(id);
    out.set(key, s);
  }
  return [...out.values()];
}

/** The microdata of replication `rep` under the design at index `designIndex` of the scenario. */
export function drawData(scenario: Scenario, rep: number, designIndex: number): DrawData {
  // this design alone: its streams, clusterings and exposure probabilities are named by the design, not its position
  const spec = scenario.designs[designIndex]!;
  const one: Scenario = { ...scenario, designs: [spec] };
  const graph = buildGraph(one);
  const caches: PlanCaches = new Map();
  const plan = buildPlan(one, graph, new Map(), { caches });
  const pd = plan.designs[0]!;
  const { design } = pd;
  const { model } = plan;
  const n = graph.csr.n;
  const seed = scenario.seed;

  // the replication's draws, from its own streams (as replicate.ts)
  const draw = model.draw((purpose) => fastStream(seed, ...names.rep(rep, purpose)));
  const z = new Uint8Array(design.units.count);
  const info = design.drawUnits(fastStream(seed, ...names.repAssign(rep, design.name)), z) ?? null;
  const a = assignment(design, z, info, { dose: new Float64Array(n), treated: new Uint8Array(n) });
  const obs = outcomeBuffers(model, n);
  const peerSum = model.writesPeerSum && a.treated ? new Float64Array(n) : undefined;
  model.outcomes(draw, { dose: a.dose, treated: a.treated, threadOn: a.threadOn, ...(peerSum ? { peerSum } : {}) }, obs.num, obs.den);
  // the two worlds of the inquiry, with the same draw (as globalEffects)
  const w1 = outcomeBuffers(model, n);
  const w0 = outcomeBuffers(model, n);
  model.outcomes(draw, { dose: new Float64Array(n).fill(1), threadOn: null }, w1.num, w1.den);
  model.outcomes(draw, { dose: new Float64Array(n), threadOn: null }, w0.num, w0.den);

  const columns: DrawColumn[] = [];
  const add = (name: string, values: ArrayLike<Value>) => void columns.push({ name, values });
  const per = <T extends Value>(f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

  add(
    'id',
    per((i) => graph.ids?.[i] ?? i),
  );
  if (graph.blocks) add('block', graph.blocks);
  const attributesAt = columns.length; // graph attributes go here, once the other columns' names are known

  const { units } = design;
  const { offsets, list } = units;
  if (units.partition) {
    add(
      'unit',
      per((i) => list[offsets[i]!]!),
    );
    add(
      'treated',
      per((i) => z[list[offsets[i]!]!]!),
    );
  } else {
    add(
      'units',
      per((i) => offsets[i + 1]! - offsets[i]!),
    );
    add(
      'unit_ids',
      per((i) => Array.from(list.subarray(offsets[i]!, offsets[i + 1]!)).join(';')),
    );
    add(
      'units_treated',
      per((i) => {
        let t = 0;
        for (let q = offsets[i]!; q < offsets[i + 1]!; q++) t += z[list[q]!]!;
        return t;
      }),
    );
  }
  // a clustering drawn for this replication (RGCR, mixtures, Saveski, saturation)
  if (info?.kind === 'rollout') {
    // each user's unit's first treated stage (shares.length: never), and that stage's share
    const T = info.shares.length;
    add(
      'rollout_stage',
      per((i) => info.stage[list[offsets[i]!]!]!),
    );
    add(
      'rollout_share',
      per((i) => {
        const t = info.stage[list[offsets[i]!]!]!;
        return t < T ? info.shares[t]! : NaN;
      }),
    );
  } else if (info) {
    add('cluster', info.labels);
    if (info.kind === 'two-arms')
      add(
        'arm',
        per((i) => info.arm[info.labels[i]!]!),
      );
    if (info.kind === 'saturation' && design.structure.kind === 'saturation') {
      const s = design.structure.saturations;
      add(
        'saturation',
        per((i) => s[info.level[info.labels[i]!]!]!),
      );
    }
  }
  // pre-treatment covariates the model draws (a baseline outcome), for the regression-adjusted estimators
  const wanted = new Set(['baseline']);
  for (const e of scenario.estimators) if (typeof e === 'object' && 'covariates' in e) for (const c of e.covariates ?? []) wanted.add(c);
  for (const name of wanted) {
    const col = model.covariate?.(name, draw);
    if (col) add(name, col);
  }
  if (a.population) add('population', a.population);
  add('dose', a.dose);

  const mappings: DrawData['mappings'] = [];
  const applies = new Set(pd.estimators.map((e) => e.id));
  for (const { opts, ids } of ipwSettings(one, applies)) {
    const mapping = exposureMapping(opts.mapping);
    const column = columnSuffix(mappings.some((m) => m.key === mapping.key) ? `${mapping.key}_${opts.draws}_${opts.batches}` : mapping.key);
    const pr = probabilitiesFor({ graph, design, seed, cache: caches.get(design.name) }, opts, false);
    const ex = mapping.classify(graph.csr, a.dose, new Int8Array(n));
    add(`exposure_${column}`, ex); // 1 all-treated world, 0 all-control world, -1 neither
    add(`p1_${column}`, pr.p1);
    add(`p0_${column}`, pr.p0);
    mappings.push({ key: mapping.key, column, estimators: ids });
  }

  model.metrics.forEach((m, k) => {
    add(m.name, obs.num[k]!);
    if (m.ratio) add(`${m.name}_den`, obs.den[k]!);
    add(`${m.name}_y1`, w1.num[k]!);
    add(`${m.name}_y0`, w0.num[k]!);
    if (m.ratio) {
      add(`${m.name}_den1`, w1.den[k]!);
      add(`${m.name}_den0`, w0.den[k]!);
    }
  });

  // an attribute named like another column (a torus's "y" and the metric "y") gets a prefix
  const taken = new Set(columns.map((c) => c.name));
  const attributes = Object.entries(graph.attributes ?? {}).map(([name, values]) => {
    let col = name;
    while (taken.has(col)) col = `covariate_${col}`;
    taken.add(col);
    return { name: col, values };
  });
  columns.splice(attributesAt, 0, ...attributes);

  return {
    scenario: scenario.name,
    seed,
    rep,
    design: design.name,
    metrics: model.metrics.map((m) => ({ name: m.name, ratio: m.ratio, scale: m.scale })),
    mappings,
    columns,
    rows: replicationCore(plan)(rep),
  };
}
