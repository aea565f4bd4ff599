// Estimators for randomized saturation designs (Hudgens & Halloran 2008;
// Baird et al. 2018). Each is a difference between the (user-weighted, or
// ratio) mean outcomes of two groups of users picked by their cluster's
// drawn saturation and their own treatment, with a cluster-robust standard
// error: the contrast's linearisation summed within clusters (each user
// contributes (y - m_g·w)/W_g to its cluster, + for the first group and -
// for the second), variance G/(G-1)·Σ_c t_c² over the G clusters holding
// either group, and t intervals on G - 2 degrees of freedom (G - 1 when the
// groups share clusters, as in the direct effect).
//
// The inquiries, per saturation s in the set:
// - direct effect at s: treated minus untreated users in clusters at s;
// - spillover effect at s: untreated users in clusters at s minus users in
//   pure-control clusters (s = 0);
// - global effect: users in fully treated clusters (s = 1) minus users in
//   pure-control clusters.
// The registered estimator `saturation` reports the global contrast, which
// needs 0 and 1 in the set (it is unbiased for the global effect when no
// friendships cross clusters). The object form { "estimator": "saturation",
// "effect": "direct" | "spillover", "saturation": s } reports the direct or
// spillover contrast at s and declares that inquiry, so its rows carry that
// effect's truth (sim/inquiry.ts), not the global one. `saturationEffects`
// gives every contrast of one replication, for tests.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { label } from '../schema-common.js';
import type { Design, Structure } from '../design/index.js';
import { undefinedEstimate, withVariance, type Estimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';

type SaturationStructure = Extract<Structure, { kind: 'saturation' }>;

/**
 * The contrast mean(group 1) - mean(group -1) (users with group 0 left out)
 * with its cluster-robust SE; `tot` and `seen` are scratch buffers of at least
 * `count` entries.
 */
export function groupContrast(
  labels: Int32Array,
  count: number,
  group: Int8Array,
  y: Float64Array,
  den: Float64Array | null,
  tot = new Float64Array(count),
  seen = new Uint8Array(count),
): Estimate {
  let sa = 0,
    wa = 0,
    sb = 0,
    wb = 0;
  for (let i = 0; i < y.length; i++) {
    const g = group[i]!;
    if (g === 0) continue;
    const w = den ? den[i]! : 1;
    if (g > 0) ((sa += y[i]!), (wa += w));
    else ((sb += y[i]!), (wb += w));
  }
  const t = tot.subarray(0, count).fill(0);
  const s = seen.subarray(0, count).fill(0); // bit 1: group 1 present, bit 2: group -1 present
  const ma = sa / wa,
    mb = sb / wb;
  for (let i = 0; i < y.length; i++) {
    const g = group[i]!;
    if (g === 0) continue;
    const c = labels[i]!;
    const w = den ? den[i]! : 1;
    if (g > 0) ((t[c]! += (y[i]! - ma * w) / wa), (s[c]! |= 1));
    else ((t[c]! -= (y[i]! - mb * w) / wb), (s[c]! |= 2));
  }
  let ca = 0,
    cb = 0,
    G = 0,
    shared = false,
    ss = 0;
  for (let c = 0; c < count; c++) {
    const k = s[c]!;
    if (!k) continue;
    G++;
    if (k & 1) ca++;
    if (k & 2) cb++;
    if (k === 3) shared = true;
    ss += t[c]! ** 2;
  }
  if (ca < 2 || cb < 2) return undefinedEstimate('arm-units');
  if (!(wa > 0 && wb > 0)) return undefinedEstimate('arm-weight');
  return withVariance(ma - mb, (G / (G - 1)) * ss, G - (shared ? 1 : 2));
}

export interface SaturationEffects {
  /** users in fully treated minus users in pure-control clusters; undefined ('arm-units') without both saturations */
  readonly global: Estimate;
  /** per saturation (the structure's sorted set) */
  readonly bySaturation: readonly { saturation: number; direct: Estimate; spillover: Estimate }[];
}

/** Every contrast of one replication: `level` is the draw's saturation index per cluster, `treated` each user's 0/1 treatment. */
export function saturationEffects(
  st: SaturationStructure,
  level: Uint8Array,
  treated: ArrayLike<number>,
  y: Float64Array,
  den: Float64Array | null,
): SaturationEffects {
  const { labels, count, saturations } = st;
  const n = labels.length;
  const group = new Int8Array(n);
  const zero = saturations.indexOf(0);
  const one = saturations.indexOf(1);
  const levelOf = (i: number) => level[labels[i]!]!;
  const run = (pick: (i: number) => number) => {
    for (let i = 0; i < n; i++) group[i] = pick(i);
    return groupContrast(labels, count, group, y, den);
  };
  const global =
    zero >= 0 && one >= 0 ? run((i) => (levelOf(i) === one ? 1 : levelOf(i) === zero ? -1 : 0)) : undefinedEstimate('arm-units');
  const bySaturation = Array.from(saturations, (saturation, k) => ({
    saturation,
    direct: run((i) => (levelOf(i) !== k ? 0 : treated[i] ? 1 : -1)),
    spillover:
      zero >= 0 && k !== zero
        ? run((i) => (levelOf(i) === k && !treated[i] ? 1 : levelOf(i) === zero ? -1 : 0))
        : undefinedEstimate('arm-units'),
  }));
  return { global, bySaturation };
}

const NOT_SATURATION = 'needs a randomized saturation design';

/** The design's saturation set, or null when it is not a randomized saturation design. */
function saturationsOf(d: Design) {
  return d.structure.kind === 'saturation' ? d.structure.saturations : null;
}

export const saturationEstimator: Estimator = {
  id: 'saturation',
  label: 'randomized saturation: fully treated minus pure-control clusters (cluster-robust SE)',
  notApplicable(d): string | null {
    const set = saturationsOf(d);
    if (!set) return NOT_SATURATION;
    return set.includes(0) && set.includes(1) ? null : 'the global contrast needs saturations 0 and 1 in the set';
  },
  prepare: ({ design }) => {
    const st = design.structure;
    if (st.kind !== 'saturation') throw new Error(`design "${design.name}" is not a randomized saturation design`);
    const { labels, count, saturations } = st;
    const zero = saturations.indexOf(0);
    const one = saturations.indexOf(1);
    const group = new Int8Array(labels.length);
    const tot = new Float64Array(count);
    const seen = new Uint8Array(count);
    return (rep) => {
      const info = rep.draw;
      if (info?.kind !== 'saturation') return undefinedEstimate('no-draw');
      const { level } = info;
      for (let i = 0; i < group.length; i++) {
        const l = level[labels[i]!]!;
        group[i] = l === one ? 1 : l === zero ? -1 : 0;
      }
      return groupContrast(labels, count, group, rep.y, rep.den, tot, seen);
    };
  },
};

/** The object form of a saturation estimator entry: which effect, at which saturation. */
export const saturationObjectSchema = z.strictObject({
  estimator: z.literal('saturation'),
  /** label in the results; default "saturation:<effect>@<saturation>" */
  name: label.min(1).optional(),
  effect: z.enum(['global', 'direct', 'spillover']),
  /** the saturation the direct or spillover effect is at (one of the design's set) */
  saturation: z.number().min(0).max(1).optional(),
});

export type SaturationObject = z.infer<typeof saturationObjectSchema>;

/**
 * The direct (treated minus untreated users in clusters at s) or spillover
 * (untreated users at s minus users in pure-control clusters) contrast at
 * saturation s, declaring that inquiry.
 */
export function saturationEffectEstimator(effect: 'direct' | 'spillover', s: number, id = `saturation:${effect}@${s}`): Estimator {
  return {
    id,
    label:
      effect === 'direct'
        ? `randomized saturation: treated minus untreated users in clusters at saturation ${s} (cluster-robust SE)`
        : `randomized saturation: untreated users in clusters at saturation ${s} minus pure-control clusters (cluster-robust SE)`,
    inquiry: { kind: effect, saturation: s },
    notApplicable(d): string | null {
      const set = saturationsOf(d);
      if (!set) return NOT_SATURATION;
      if (!set.includes(s)) return `saturation ${s} is not in the design's set [${Array.from(set).join(', ')}]`;
      if (effect === 'direct') return s > 0 && s < 1 ? null : 'the direct effect needs a saturation strictly between 0 and 1';
      if (!set.includes(0)) return 'the spillover effect needs saturation 0 (pure control) in the set';
      return s > 0 && s < 1 ? null : 'the spillover effect needs a saturation strictly between 0 and 1';
    },
    prepare: ({ design }) => {
      const st = design.structure;
      if (st.kind !== 'saturation') throw new Error(`design "${design.name}" is not a randomized saturation design`);
      const { labels, count, saturations } = st;
      const k = saturations.indexOf(s);
      const zero = saturations.indexOf(0);
      const group = new Int8Array(labels.length);
      const tot = new Float64Array(count);
      const seen = new Uint8Array(count);
      return (rep) => {
        const info = rep.draw;
        if (info?.kind !== 'saturation') return undefinedEstimate('no-draw');
        const { level } = info;
        const z = rep.unitZ; // identity units: unit i is user i
        for (let i = 0; i < group.length; i++) {
          const l = level[labels[i]!]!;
          group[i] = effect === 'direct' ? (l !== k ? 0 : z[i] ? 1 : -1) : l === k && !z[i] ? 1 : l === zero ? -1 : 0;
        }
        return groupContrast(labels, count, group, rep.y, rep.den, tot, seen);
      };
    },
  };
}

/** The estimator of a saturation object entry. */
export function saturationFromObject(o: SaturationObject): Estimator {
  if (o.effect === 'global') return o.name ? { ...saturationEstimator, id: o.name } : saturationEstimator;
  if (o.saturation === undefined) throw new UserError(`estimator "saturation" with effect "${o.effect}" needs a "saturation"`, 'ESCENARIO');
  return saturationEffectEstimator(o.effect, o.saturation, o.name);
}

export const saturationKind: EstimatorKind = { type: 'saturation', estimator: saturationEstimator };
