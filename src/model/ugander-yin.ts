// Response model of Ugander & Yin (2023, section 6.2): degree-scaled
// outcomes with a homophily covariate,
//   Y_i(0) = (a + b·h_i + σ·e_i) · d_i / d̄,   Y_i(1) = Y_i(0) · (1 + τ/μ0),
// μ0 the mean of Y(0), so the global effect is exactly τ. A user whose
// whole closed neighbourhood is treated gets Y(1), an untreated one Y(0);
// in between the weight on Y(1) is direct·z_i + (1 - direct)·s_i^curvature,
// s_i the treated share of friends. h and e come from covariate columns or
// are generated once (fixed potential outcomes, as in design-based
// inference): h a smooth field (on torus coordinates when the graph has
// them, else smoothed noise over the graph), e standard normal.
// h is pre-treatment and observable, so the model offers it to the
// adjustment estimators as covariate 'homophily' (estimate/lin.ts).
import { z } from 'zod';
import { normal, stream } from '../random/streams.js';
import * as names from '../random/names.js';
import { UserError } from '../errors.js';
import type { CSR, SocialGraph } from '../graph/csr.js';
import { meanMetric, type ModelContext, type OutcomeModel } from './model.js';
import type { ModelKind } from './schema.js';
import { boundedParameter } from './bounds.js';

export const uganderYinSchema = z.strictObject({
  type: z.literal('ugander-yin'),
  a: boundedParameter().default(1),
  b: boundedParameter().default(0.5),
  sigma: boundedParameter(0).default(0.1),
  tau: boundedParameter().default(0.5),
  /** covariate column for h (else generated) */
  homophily: z.string().min(1).optional(),
  /** covariate column for e (else generated) */
  noise: z.string().min(1).optional(),
  direct: z.number().min(0).max(1).default(0.5),
  curvature: z.number().positive().default(1),
  /** seed of the generated h and e */
  seed: z.number().int().default(0),
});

export type UganderYinParams = z.infer<typeof uganderYinSchema>;

export function uganderYin(ctx: ModelContext, p: UganderYinParams): OutcomeModel<null> {
  const g = ctx.graph.csr;
  const { n, offsets, nbrs } = g;
  const h = p.homophily ? column(ctx.graph, p.homophily) : homophilyField(ctx.graph, p.seed);
  const e = p.noise ? column(ctx.graph, p.noise) : noiseField(n, p.seed);
  const dbar = offsets[n]! / n;
  const y0 = new Float64Array(n);
  let mu0 = 0;
  for (let i = 0; i < n; i++) {
    const d = offsets[i + 1]! - offsets[i]!;
    y0[i] = ((p.a + p.b * h[i]! + p.sigma * e[i]!) * d) / (dbar > 0 ? dbar : 1);
    mu0 += y0[i]! / n;
  }
  const lift = mu0 !== 0 ? p.tau / mu0 : 0;
  return {
    type: 'ugander-yin',
    metrics: [meanMetric('y')],
    draw: () => null,
    covariate: (name) => (name === 'homophily' ? h : null),
    outcomes(_d, { dose }, num) {
      const y = num[0]!;
      for (let i = 0; i < n; i++) {
        const a = offsets[i]!;
        const b = offsets[i + 1]!;
        let s = 0;
        for (let k = a; k < b; k++) s += dose[nbrs[k]!]!;
        const share = b > a ? s / (b - a) : dose[i]!;
        const w = p.direct * dose[i]! + (1 - p.direct) * share ** p.curvature;
        y[i] = y0[i]! * (1 + lift * w);
      }
    },
  };
}

function column(graph: SocialGraph, name: string): Float64Array {
  const col = graph.attributes?.[name];
  if (!col)
    throw new UserError(
      `ugander-yin: covariate "${name}" not found; the graph has ${Object.keys(graph.attributes ?? {}).join(', ') || 'no attributes'}`,
      'ESCENARIO',
    );
  return col;
}

function noiseField(n: number, seed: number): Float64Array {
  const z = normal(stream(seed, ...names.uganderYin('noise')));
  return Float64Array.from({ length: n }, () => z());
}

/** Smooth field in [-1, 1]: two long-wave modes on torus coordinates, else noise averaged over friends. */
function homophilyField(graph: SocialGraph, seed: number): Float64Array {
  const n = graph.csr.n;
  const rng = stream(seed, ...names.uganderYin('homophily'));
  const x = graph.attributes?.['x'];
  const y = graph.attributes?.['y'];
  let h: Float64Array;
  if (x && y) {
    let side = 0;
    for (let i = 0; i < n; i++) side = Math.max(side, x[i]! + 1, y[i]! + 1);
    const [fx, fy] = [rng() * 2 * Math.PI, rng() * 2 * Math.PI];
    h = Float64Array.from(
      { length: n },
      (_, i) => Math.sin((2 * Math.PI * x[i]!) / side + fx) + Math.sin((2 * Math.PI * y[i]!) / side + fy),
    );
  } else {
    h = smooth(graph.csr, noiseField(n, seed + 1), 10);
  }
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(h[i]!));
  return m > 0 ? h.map((v) => v / m) : h;
}

/** Rounds of averaging over closed neighbourhoods: spatially correlated noise. */
function smooth(g: CSR, v: Float64Array, rounds: number): Float64Array {
  let cur = v;
  for (let r = 0; r < rounds; r++) {
    const next = new Float64Array(g.n);
    for (let i = 0; i < g.n; i++) {
      let s = cur[i]!;
      for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) s += cur[g.nbrs[k]!]!;
      next[i] = s / (g.offsets[i + 1]! - g.offsets[i]! + 1);
    }
    cur = next;
  }
  return cur;
}

export const uganderYinKind: ModelKind<typeof uganderYinSchema> = { type: 'ugander-yin', schema: uganderYinSchema, create: uganderYin };
