// Monte Carlo SEs of the diagnosands without a closed form (SD and RMSE):
// a nonparametric bootstrap over the replications, as DeclareDesign's
// diagnose_design does, from a named stream so the bytes are reproducible.
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';

/** resamples per diagnosis row: DeclareDesign's default bootstrap_sims is 100; 200 halves the SE's own noise */
export const BOOTSTRAP_RESAMPLES = 200;

/**
 * Bootstrap SEs of the SD of `estimates` and of the RMSE of estimates
 * against `truths` (same length, at least 2), resampling replications with
 * replacement. `key` = [seed, design, estimator, metric] names the stream.
 */
export function bootstrapSE(
  estimates: readonly number[],
  truths: readonly number[],
  key: readonly [number | string, string, string, string],
  resamples = BOOTSTRAP_RESAMPLES,
): { sd: number; rmse: number } {
  const k = estimates.length;
  const rng = stream(key[0], ...names.diagnosisBootstrap(key[1], key[2], key[3]));
  const sds = new Float64Array(resamples);
  const rmses = new Float64Array(resamples);
  const pick = new Uint32Array(k);
  for (let b = 0; b < resamples; b++) {
    let s = 0,
      sq = 0;
    for (let j = 0; j < k; j++) {
      const i = (pick[j] = Math.floor(rng() * k));
      s += estimates[i]!;
      sq += (estimates[i]! - truths[i]!) ** 2;
    }
    const m = s / k;
    let ss = 0; // two passes: a one-pass sum of squares loses digits when the SD is small next to the mean
    for (let j = 0; j < k; j++) ss += (estimates[pick[j]!]! - m) ** 2;
    sds[b] = Math.sqrt(ss / (k - 1));
    rmses[b] = Math.sqrt(sq / k);
  }
  return { sd: sdOf(sds), rmse: sdOf(rmses) };
}

function sdOf(a: Float64Array): number {
  let m = 0;
  for (const x of a) m += x;
  m /= a.length;
  let s = 0;
  for (const x of a) s += (x - m) ** 2;
  return Math.sqrt(s / (a.length - 1));
}
