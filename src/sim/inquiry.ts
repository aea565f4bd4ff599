// The truth of the inquiries a randomized saturation design's estimators
// declare (estimate/estimator.ts `Inquiry`), per replication with the
// replication's model draw (common random numbers), as in docs/designs.md:
// the world where every cluster is at saturation s is one stage-2
// assignment drawn by the design's own rule from the stream
// names.repInquiry(r, design, s); with Y(s) the outcomes there and Y(0) those
// of the all-control world (same draw),
//   spillover(s) = mean over the untreated users of Y(s) - Y(0)
//   direct(s)    = mean over the treated users of Y(s) - Y(0), minus spillover(s)
// (means are the metric's: ratios of sums for a ratio metric). Each is a
// one-draw Monte Carlo of its expectation over the design's stage-2
// distribution; the diagnosis averages it over replications (its truthSE
// says how much it moved). Under linear-in-means on disjoint cliques with s·m
// whole it is the same every draw: gamma·s·m/(m-1) and beta - gamma/(m-1).
import { fastStream } from '../random/fast.js';
import * as names from '../random/names.js';
import { treatAtSaturation } from '../design/saturation.js';
import type { Design } from '../design/index.js';
import type { Inquiry } from '../estimate/index.js';
import { metricValueOver, outcomeBuffers, type OutcomeModel } from '../model/index.js';

/** Per-metric truths of one replication, by inquiry. */
export type InquiryTruths = (q: Inquiry) => readonly number[];

/**
 * For a design whose estimators declare direct or spillover inquiries: a
 * function of (replication, model draw) giving their truths; null when none
 * does.
 */
export function saturationInquiries(
  model: OutcomeModel<any>,
  seed: number | string,
  design: Design,
  inquiries: readonly (Inquiry | undefined)[],
): ((r: number, draw: unknown) => InquiryTruths) | null {
  const wanted = [...new Set(inquiries.flatMap((q) => (q && q.kind !== 'global' ? [q.saturation] : [])))];
  if (wanted.length === 0) return null;
  const st = design.structure;
  if (st.kind !== 'saturation')
    throw new Error(`design "${design.name}": direct and spillover inquiries need a randomized saturation design`);
  const { labels, count } = st;
  const n = labels.length;
  const w0 = outcomeBuffers(model, n);
  const ws = outcomeBuffers(model, n);
  const dose0 = new Float64Array(n);
  const treated0 = new Uint8Array(n);
  const z = new Uint8Array(n);
  const dose = new Float64Array(n);
  const untreated = new Uint8Array(n);
  return (r, draw) => {
    model.outcomes(draw, { dose: dose0, treated: treated0, threadOn: null }, w0.num, w0.den);
    const bySaturation = new Map<number, { direct: number[]; spillover: number[] }>();
    for (const s of wanted) {
      treatAtSaturation(fastStream(seed, ...names.repInquiry(r, design.name, s)), labels, count, s, z);
      for (let i = 0; i < n; i++) ((dose[i] = z[i]!), (untreated[i] = 1 - z[i]!));
      model.outcomes(draw, { dose, treated: z, threadOn: null }, ws.num, ws.den);
      const direct: number[] = [];
      const spillover: number[] = [];
      model.metrics.forEach((m, k) => {
        const effect = (mask: Uint8Array) =>
          metricValueOver(m, ws.num[k]!, ws.den[k], mask) - metricValueOver(m, w0.num[k]!, w0.den[k], mask);
        const sp = effect(untreated);
        spillover.push(sp);
        direct.push(effect(z) - sp);
      });
      bySaturation.set(s, { direct, spillover });
    }
    return (q) => {
      if (q.kind === 'global') throw new Error('the global effect is computed by globalEffects');
      return bySaturation.get(q.saturation)![q.kind];
    };
  };
}
