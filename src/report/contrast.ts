// A difference-in-means contrast as a readout shows it: the scenario's dm
// estimate with its fitted levels at dose 0 and 1 (the arm means for 0/1
// doses) and a 95% interval, absolute and relative to the control level.
// Levels are NaN (shown as —) when the fit puts a nonnegative metric below 0.
import type { Design } from '../design/index.js';
import { normalQuantile, type Estimate, type RepData } from '../estimate/index.js';

export interface Contrast {
  control: number;
  treatment: number;
  diff: number;
  se: number;
  /** 95% interval of the difference; relative ones divide by the control level */
  lo: number;
  hi: number;
  rel: number;
  relLo: number;
  relHi: number;
  significant: boolean;
}

export type Run = (rep: RepData) => Estimate;
const Z = normalQuantile(0.975);

/** Users' unit counts under overlapping designs (the weights dm uses), else all 1. */
export function unitWeights(design: Design, n: number): Float64Array {
  const c = new Float64Array(n).fill(1);
  if (design.units.partition) return c;
  const o = design.units.offsets;
  for (let i = 0; i < n; i++) c[i] = Math.max(1, o[i + 1]! - o[i]!);
  return c;
}

/** dm's estimate, with the fitted levels at dose 0 and 1 (arm means for 0/1 doses). */
export function contrast(
  run: Run,
  dose: Float64Array,
  unitZ: Uint8Array,
  y: Float64Array,
  den: Float64Array | null,
  c: Float64Array,
  scale: number,
): Contrast {
  const e = run({ dose, unitZ, y, den, memo: new Map() });
  let W = 0,
    zbar = 0,
    ybar = 0,
    negative = false;
  for (let i = 0; i < y.length; i++) {
    const w = (den ? den[i]! : 1) * c[i]!;
    if (y[i]! < 0) negative = true;
    if (!(w > 0)) continue;
    W += w;
    zbar += w * dose[i]!;
    ybar += c[i]! * y[i]!;
  }
  const b = e.estimate;
  const fitted = (scale * (ybar - b * zbar)) / W;
  // under fractional doses (thread designs) the level at dose 0 is the fit
  // extrapolated; below 0 for a metric that cannot be negative it is no
  // level at all: no control or treatment level is shown, only the change
  // (a fit of 0 up to rounding is a level of 0, as below)
  const outside = !negative && fitted < -1e-9 * Math.abs(fitted + scale * b);
  const control = outside ? NaN : fitted;
  const diff = scale * b;
  const se = scale * e.se;
  const lo = diff - Z * se;
  const hi = diff + Z * se;
  // relative change only against a control level of at least a tenth of the
  // treatment level: a metric that barely exists without the feature, or a
  // dose fit extrapolated to near or below 0 (thread-level designs), gets
  // the absolute change instead
  const noise = Math.abs(control) <= 1e-9 * Math.abs(control + diff);
  const base = control >= 0.1 * Math.abs(control + diff) && !noise ? control : NaN;
  return {
    control: noise ? 0 : control,
    treatment: outside ? NaN : control + diff,
    diff,
    se,
    lo,
    hi,
    rel: diff / base,
    relLo: lo / base,
    relHi: hi / base,
    significant: lo > 0 || hi < 0,
  };
}
