// One replication: draw the model's randomness, compute the truth from both
// worlds (the global effect; for a design with an analysis population, such
// as ego clusters, the same effect averaged over that population only), then
// for every design draw an assignment, simulate outcomes and apply every
// estimator. Every draw comes from a stream named by
// (seed, replication, purpose), so the rows depend only on (scenario, r).
import { stream } from '../random/streams.js';
import { fastStream } from '../random/fast.js';
import { assignment, populationOf, type Draw } from '../design/index.js';
import { globalEffects, outcomeBuffers, sum } from '../model/index.js';
import type { Plan } from './plan.js';
import type { CSR } from '../graph/csr.js';
import { fullClass } from '../estimate/exposure/mappings.js';
import { knownExposure } from '../estimate/exposure/cache.js';
import { saturationInquiries } from './inquiry.js';

/** One estimate in the long results table. */
export interface Row {
  rep: number;
  design: string;
  estimator: string;
  metric: string;
  truth: number;
  /** null when undefined in this replication */
  estimate: number | null;
  se: number | null;
  df: number | null;
  /** why the estimate is undefined (a key of UNDEFINED_REASONS); on a row with an estimate, why its se is null, when known */
  reason?: string;
  /**
   * an interval that is not estimate ± t·se (the wild bootstrap's), which
   * coverage and power use instead: null = unbounded on that side; absent
   * for the other estimators
   */
  lower?: number | null;
  upper?: number | null;
  /** the p-value of the estimator's test of another null (no spillover), which power counts instead of the interval */
  nullP?: number;
}

/**
 * Full-neighbourhood exposure (1 all treated, 0 all control, -1 neither)
 * from friends' dose sums, for 0/1 doses: the same classes as
 * exposureMapping('full').classify without another pass over the graph.
 * Lists the users in either world in `users` and returns how many.
 */
export function fullExposureFromSums(g: CSR, treated: Uint8Array, peerSum: Float64Array, out: Int8Array, users: Uint32Array): number {
  const { n, offsets } = g;
  let listed = 0;
  for (let i = 0; i < n; i++) {
    const c = fullClass(treated[i]!, peerSum[i]!, offsets[i + 1]! - offsets[i]!);
    out[i] = c;
    if (c >= 0) users[listed++] = i;
  }
  return listed;
}

/**
 * What a batch runner hands a replication for one design: the assignment it
 * already drew (from the replication's own stream) and its friends' dose
 * sums, so neither is computed again.
 */
export interface GivenDesign {
  z: Uint8Array;
  info: Draw | null;
  /**
   * friends' dose sums into `sums` and, from them, the full-neighbourhood
   * classes into `exposure` and the users in either world into `users`;
   * returns how many are listed
   */
  fill: (sums: Float64Array, treated: Uint8Array, exposure: Int8Array, users: Uint32Array) => number;
}

/** One replication, optionally with some designs' assignment and sums given (see replicate-batch.ts). */
export function replicationCore(plan: Plan): (r: number, given?: (design: number) => GivenDesign | null) => Row[] {
  const n = plan.graph.csr.n;
  const { model, scenario } = plan;
  const buffers = { dose: new Float64Array(n), treated: new Uint8Array(n) }; // reused by every replication's assignment
  const out = outcomeBuffers(model, n);
  const unitZ = plan.designs.map((d) => new Uint8Array(d.design.units.count));
  // partition designs give 0/1 doses, so the model's friend sums settle exposure
  const peerSum = model.writesPeerSum ? new Float64Array(n) : null;
  const exposure = new Int8Array(peerSum ? n : 0);
  const inWorlds = new Uint32Array(peerSum ? n : 0);
  // other assignments of a design's units that an estimator asks for (a
  // staggered rollout's stages: RepData.sumsAt), in buffers of their own so
  // the observed assignment's doses stay as the estimators read them
  let other: { dose: Float64Array; treated: Uint8Array; num: Float64Array[]; den: Float64Array[] } | null = null;
  const sumsIn = (design: Plan['designs'][number]['design'], info: Draw | null, draw: unknown, unitZ: Uint8Array) => {
    other ??= { dose: new Float64Array(n), treated: new Uint8Array(n), ...outcomeBuffers(model, n) };
    const a = assignment(design, unitZ, info, other);
    model.outcomes(draw, { dose: a.dose, treated: a.treated, threadOn: a.threadOn }, other.num, other.den);
    const o = other;
    return model.metrics.map((m, k) => ({ num: sum(o.num[k]!), den: m.ratio ? sum(o.den[k]!) : n }));
  };

  // The inquiries: the global effect over everyone (index 0), and over each
  // design's analysis population (designs without one read index 0).
  const populations: (Uint8Array | null)[] = [null];
  const inquiry = plan.designs.map((pd) => {
    const pop = populationOf(pd.design);
    return pop ? populations.push(pop) - 1 : 0;
  });
  // A model whose effect does not depend on its draw has its truth simulated
  // (both worlds) once, from a draw of its own stream, not every replication.
  const fixedTruth = model.drawFreeEffect
    ? globalEffects(
        model,
        model.draw((p) => stream(scenario.seed, 'truth', p)),
        n,
        populations,
      )
    : null;

  // Inquiries other than the global effect (a saturation design's direct and
  // spillover effects), per design: their truths per replication (inquiry.ts).
  const otherInquiries = plan.designs.map((pd) =>
    saturationInquiries(
      model,
      scenario.seed,
      pd.design,
      pd.estimators.map((e) => e.inquiry),
    ),
  );

  let last: unknown; // the previous replication's draw, overwritten by the next

  return (r, given) => {
    // per-replication draws (n numbers each) come from fast streams, see fast.ts
    const rng = (purpose: string) => fastStream(scenario.seed, 'rep', r, purpose);
    const draw = (last = model.draw(rng, last));
    const truths = fixedTruth ?? globalEffects(model, draw, n, populations);
    const covariate = model.covariate ? (name: string) => model.covariate!(name, draw) : undefined;
    const rows: Row[] = [];
    plan.designs.forEach((pd, di) => {
      const truth = truths[inquiry[di]!]!;
      const other = otherInquiries[di]?.(r, draw) ?? null;
      const g = given?.(di) ?? null;
      const z = g ? g.z : unitZ[di]!;
      const info = g ? g.info : (pd.design.drawUnits(fastStream(scenario.seed, 'rep', r, 'assign', pd.design.name), z) ?? null);
      // the assignment passes through unchanged: model, exposure and estimators all read it
      const a = assignment(pd.design, z, info, buffers);
      const { dose, treated, threadOn } = a;
      const fuse = peerSum !== null && treated !== null;
      let listed = fuse && g ? g.fill(peerSum, treated, exposure, inWorlds) : 0;
      model.outcomes(
        draw,
        fuse ? { dose, treated, threadOn, peerSum, peerSumKnown: g !== null } : { dose, treated, threadOn },
        out.num,
        out.den,
      );
      const memo = new Map<string, unknown>();
      const worlds = new Map<string, { num: number; den: number }[]>();
      const sumsOf = (key: string, unitZ: Uint8Array) => {
        let s = worlds.get(key);
        if (!s) worlds.set(key, (s = sumsIn(pd.design, info, draw, unitZ)));
        return s;
      };
      if (fuse) {
        if (!g) listed = fullExposureFromSums(plan.graph.csr, treated, peerSum, exposure, inWorlds);
        // what HT and Hajek would otherwise compute for their 'full' mapping
        knownExposure(memo, 'full', exposure, inWorlds.subarray(0, listed));
      }
      model.metrics.forEach((metric, k) => {
        const sumsAt = (key: string, unitZ: Uint8Array) => sumsOf(key, unitZ)[k]!;
        const data = {
          dose,
          unitZ: z,
          y: out.num[k]!,
          den: metric.ratio ? out.den[k]! : null,
          memo,
          draw: info,
          rep: r,
          covariate,
          sumsAt,
        };
        const c = metric.scale;
        for (const est of pd.estimators) {
          const e = est.run(data);
          // never a non-finite number in a row: an estimate (or SE) that is, or overflows once scaled, is undefined
          const seInfinite = Number.isFinite(e.estimate) && !Number.isNaN(e.se) && !Number.isFinite(c * e.se);
          const ok = Number.isFinite(c * e.estimate) && !seInfinite;
          const row: Row = {
            rep: r,
            design: pd.design.name,
            estimator: est.id,
            metric: metric.name,
            truth: est.inquiry && est.inquiry.kind !== 'global' ? other!(est.inquiry)[k]! : truth[k]!,
            estimate: ok ? c * e.estimate : null,
            se: ok && Number.isFinite(e.se) ? c * e.se : null,
            df: ok && Number.isFinite(e.df) ? e.df : null,
          };
          if (!ok) row.reason = e.reason ?? (seInfinite ? 'variance-not-finite' : 'estimate-not-finite');
          else {
            // a defined estimate without a standard error says why, when the estimator does ("variance": false)
            if (row.se === null && e.reason) row.reason = e.reason;
            if (e.lower !== undefined && e.upper !== undefined) {
              row.lower = Number.isFinite(c * e.lower) ? c * e.lower : null;
              row.upper = Number.isFinite(c * e.upper) ? c * e.upper : null;
            }
            if (e.nullP !== undefined && Number.isFinite(e.nullP)) row.nullP = e.nullP;
          }
          rows.push(row);
        }
      });
    });
    return rows;
  };
}

export function replicator(plan: Plan): (r: number) => Row[] {
  const one = replicationCore(plan);
  return (r) => one(r);
}
