// Ugander & Yin (2023), randomized graph cluster randomization: their
// small-world graphs (data/rgcr-small-world/) under their response model,
// full-neighbourhood exposure, p = 1/2, reproduced from spillover's own
// designs, model and variance code:
//  - RGCR 3-net HT variance: exact given the exposure probabilities, which
//    are averaged over independent randomized 3-nets (as the paper's code
//    does, over all pairs of users);
//  - RGCR 3-net Hajek bias and MSE: simulated, each assignment with its
//    complement (the paper's code does the same);
//  - GCR: for each of K fixed randomized 3-nets, Hajek bias and MSE
//    simulated with exact probabilities; medians over the K clusterings.
//
//   node dist/bench/rgcr-small-world.js [--graphs SW16,SW24] [--quick] [--markdown]
// prints one JSON object (with the table), or with --markdown the table only.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { args } from './_common.js';
import { parseScenario } from '../src/sim/scenario.js';
import { buildGraph } from '../src/sim/build-graph.js';
import { createDesign, type Design } from '../src/design/index.js';
import { createModel } from '../src/model/index.js';
import { stream } from '../src/random/streams.js';
import { partitionUnits } from '../src/design/design.js';
import { randomClustering } from '../src/design/nets.js';
import { unitSets } from '../src/estimate/exposure/sets.js';
import { htVarianceOverClusterings, marginalsOverClusterings, type ClusteringSource } from '../src/estimate/variance/clusterings.js';
import type { CSR, SocialGraph } from '../src/graph/csr.js';

/** The paper's printed figures (../data/rgcr-small-world/README.md). */
export const PUBLISHED = {
  SW16: { n: 256, gcrBias: -0.3044, gcrMse: 0.3058, rgcrBias: -0.1568, rgcrMse: 0.4753, rgcrHtVar: 30.59 },
  SW24: { n: 576, gcrBias: -0.2554, gcrMse: 0.2187, rgcrBias: -0.0629, rgcrMse: 0.3427, rgcrHtVar: 9.914 },
  SW48: { n: 2304, gcrBias: -0.2201, gcrMse: 0.2306, rgcrBias: -0.01406, rgcrMse: 0.1512, rgcrHtVar: 1.43 },
  SW64: { n: 4096, gcrBias: -0.2159, gcrMse: 0.2092, rgcrBias: -0.00797, rgcrMse: 0.0889, rgcrHtVar: 0.7455 },
  SW96: { n: 9216, gcrBias: -0.1849, gcrMse: 0.1831, rgcrBias: -0.00342, rgcrMse: 0.0451, rgcrHtVar: 0.3102 },
} as const;
export type SwName = keyof typeof PUBLISHED;

export interface SwOptions {
  seed: number;
  /**
   * rounds of stratified clusterings behind the RGCR marginal probabilities:
   * each round forces every node first once (n clusterings), as the paper's
   * code does; independent draws need far more for the rare clusterings
   * that favour a node
   */
  probabilityRounds: number;
  /** independent clusterings behind the RGCR variance */
  varianceDraws: number;
  /** RGCR assignments for Hajek (each also used complemented) */
  rgcrDraws: number;
  /** fixed 3-nets, and assignments simulated for each (each also complemented) */
  gcrClusterings: number;
  gcrDraws: number;
}

export const DEFAULTS: SwOptions = {
  seed: 2023,
  probabilityRounds: 8,
  varianceDraws: 2_000,
  rgcrDraws: 20_000,
  gcrClusterings: 1000,
  gcrDraws: 200,
};

/** SW96 (9,216 nodes) with fewer rounds and draws: the same precision class in a quarter of an hour */
export function defaultsFor(name: SwName): SwOptions {
  return PUBLISHED[name].n > 5000 ? { ...DEFAULTS, probabilityRounds: 2, varianceDraws: 500, rgcrDraws: 10_000 } : DEFAULTS;
}

const withSE = (value: number, se: number) => ({ value, se });

export function loadSmallWorld(name: SwName): { graph: SocialGraph; y1: Float64Array; y0: Float64Array } {
  // relative paths are found from the package root too (build-graph's dataPath)
  const here = 'data/rgcr-small-world';
  const scenario = parseScenario({
    graph: { file: `${here}/${name}.txt`, covariates: `${here}/${name}-response.txt` },
    // Y(0) = (1 + 0.5 h + 0.1 e) d / mean d, Y(1) = Y(0)(1 + 1/mu0): effect exactly 1
    model: { type: 'ugander-yin', a: 1, b: 0.5, sigma: 0.1, tau: 1, homophily: 'x1', noise: 'x2' },
    designs: [{ type: 'user-bernoulli', p: 0.5 }],
  });
  const graph = buildGraph(scenario);
  const model = createModel({ graph }, scenario.model);
  const n = graph.csr.n;
  const y1 = new Float64Array(n);
  const y0 = new Float64Array(n);
  const draw = model.draw((p) => stream(scenario.seed, 'model', p));
  model.outcomes(draw, { dose: new Float64Array(n).fill(1), threadOn: null }, [y1], []);
  model.outcomes(draw, { dose: new Float64Array(n), threadOn: null }, [y0], []);
  return { graph, y1, y0 };
}

/**
 * Hajek estimates of one assignment and of its complement, from user
 * treatments. As in the paper's code, a world nobody is in has mean 0 (the
 * estimate is then far off; spillover's own Hajek calls it undefined); such
 * estimates are counted in `empty`.
 */
function hajekPair(g: CSR, z: Uint8Array, y1: Float64Array, y0: Float64Array, p1: Float64Array, p0: Float64Array, out: number[]): number {
  // sums over world 1 and world 0 of the assignment; the complement swaps the worlds
  let t1 = 0,
    w1 = 0,
    t0 = 0,
    w0 = 0,
    u1 = 0,
    v1 = 0,
    u0 = 0,
    v0 = 0;
  for (let i = 0; i < g.n; i++) {
    const zi = z[i]!;
    let same = true;
    for (let e = g.offsets[i]!; same && e < g.offsets[i + 1]!; e++) same = z[g.nbrs[e]!] === zi;
    if (!same) continue;
    // world 1 of z is world 0 of the complement, and the reverse
    if (zi === 1) ((t1 += y1[i]! / p1[i]!), (w1 += 1 / p1[i]!), (u0 += y0[i]! / p0[i]!), (v0 += 1 / p0[i]!));
    else ((t0 += y0[i]! / p0[i]!), (w0 += 1 / p0[i]!), (u1 += y1[i]! / p1[i]!), (v1 += 1 / p1[i]!));
  }
  const mean = (t: number, w: number) => (w > 0 ? t / w : 0);
  out.push(mean(t1, w1) - mean(t0, w0), mean(u1, v1) - mean(u0, v0));
  return (w1 > 0 && w0 > 0 ? 0 : 1) + (v1 > 0 && v0 > 0 ? 0 : 1);
}

/**
 * Mean error and mean squared error against the effect, with SEs. `est`
 * holds each assignment's estimate followed by its complement's: the two
 * are strongly dependent (errors correlate at about −0.9, squared errors at
 * +0.6), so the SEs come from the spread of the pair means.
 */
function errors(est: number[], truth: number) {
  const K = est.length / 2;
  const e = new Float64Array(K);
  const q = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const a = est[2 * k]! - truth;
    const b = est[2 * k + 1]! - truth;
    ((e[k] = (a + b) / 2), (q[k] = (a * a + b * b) / 2));
  }
  const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / K;
  const se = (x: Float64Array, m: number) => Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (K - 1) / K);
  const bias = mean(e);
  const mse = mean(q);
  return { bias, mse, biasSE: se(e, bias), mseSE: se(q, mse) };
}

/** the paper's randomized 3-net, r_net-3 */
const NET = { method: 'net', radius: 3, ties: 'random-order' } as const;

function rgcrDesign(graph: SocialGraph, seed: number): Design {
  return createDesign({ graph, rng: (p) => stream(seed, 'design', p) }, { type: 'rgcr', p: 0.5, clustering: NET });
}

/** Clusterings of an RGCR design, the m-th from its own stream. */
function rgcrSource(design: Design, n: number, count: number, seed: number, purpose: string): ClusteringSource {
  const z = new Uint8Array(n);
  return {
    count,
    exact: false,
    clustering: (m) => {
      const info = design.drawUnits(stream(seed, purpose, m), z);
      if (!info || info.kind !== 'clustering') throw new Error(`design "${design.name}" reported no clustering`);
      return { labels: info.labels, count: info.count };
    },
  };
}

/** The RGCR columns: HT variance and Hajek bias/MSE. */
export function rgcr(name: SwName, o: SwOptions) {
  const { graph, y1, y0 } = loadSmallWorld(name);
  const g = graph.csr;
  const design = rgcrDesign(graph, o.seed);
  // marginals from one set of clusterings; the variance and Hajek from fresh ones
  const strata: ClusteringSource = {
    count: o.probabilityRounds * g.n,
    exact: false,
    clustering: (m) => randomClustering(g, NET, stream(o.seed, 'probabilities', m), m % g.n),
  };
  const { p1, p0 } = marginalsOverClusterings(g, 'neighbourhood', 0.5, strata);
  const v = htVarianceOverClusterings(
    g,
    'neighbourhood',
    0.5,
    y1,
    y0,
    p1,
    p0,
    rgcrSource(design, g.n, o.varianceDraws, o.seed, 'variance'),
  );
  const est: number[] = [];
  const z = new Uint8Array(g.n);
  const rng = stream(o.seed, 'rgcr-hajek');
  let empty = 0;
  for (let r = 0; r < o.rgcrDraws; r++) {
    design.drawUnits(rng, z);
    empty += hajekPair(g, z, y1, y0, p1, p0, est);
  }
  const h = errors(est, 1);
  return {
    htVariance: withSE(v.variance, v.se),
    htMean: v.mean,
    hajekBias: withSE(h.bias, h.biasSE),
    hajekMse: withSE(h.mse, h.mseSE),
    hajekEmptyWorld: empty,
    estimates: est.length,
  };
}

/** The GCR columns: medians over fixed 3-nets of Hajek's bias and MSE. */
export function gcr(name: SwName, o: SwOptions) {
  const { graph, y1, y0 } = loadSmallWorld(name);
  const g = graph.csr;
  const n = g.n;
  const bias: number[] = [];
  const mse: number[] = [];
  const worst: number[] = [];
  let undef = 0;
  const z = new Uint8Array(n);
  const p1 = new Float64Array(n);
  const p0 = new Float64Array(n);
  for (let m = 0; m < o.gcrClusterings; m++) {
    const design = createDesign({ graph, rng: (p) => stream(o.seed, 'gcr', m, p) }, { type: 'cluster', p: 0.5, clustering: NET });
    // exact probabilities of a fixed clustering: 2^-(clusters touching N[i])
    const sets = unitSets(g, partitionUnits(design.units.list, design.units.count), 'neighbourhood');
    for (let i = 0; i < n; i++) p1[i] = p0[i] = 0.5 ** (sets.offsets[i + 1]! - sets.offsets[i]!);
    const coins = new Uint8Array(design.units.count);
    const rng = stream(o.seed, 'gcr-draws', m);
    const est: number[] = [];
    for (let r = 0; r < o.gcrDraws; r++) {
      design.drawUnits(rng, coins);
      for (let i = 0; i < n; i++) z[i] = coins[design.units.list[i]!]!;
      undef += hajekPair(g, z, y1, y0, p1, p0, est);
    }
    const e = errors(est, 1);
    bias.push(e.bias);
    mse.push(e.mse);
    worst.push(e.biasSE);
  }
  return { bias: median(bias), mse: median(mse), maxBiasSE: Math.max(...worst), emptyWorld: undef, clusterings: o.gcrClusterings };
}

export function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}

function main() {
  const a = args();
  const quick = a.has('quick');
  const names = (a.get('graphs') ?? (quick ? 'SW16' : Object.keys(PUBLISHED).join(','))).split(',') as SwName[];
  const rows = [];
  for (const name of names) {
    if (!(name in PUBLISHED)) throw new Error(`unknown graph ${name}; one of ${Object.keys(PUBLISHED).join(', ')}`);
    const o: SwOptions = quick
      ? { seed: 2023, probabilityRounds: 1, varianceDraws: 100, rgcrDraws: 500, gcrClusterings: 10, gcrDraws: 100 }
      : { ...defaultsFor(name) };
    for (const key of Object.keys(o) as (keyof SwOptions)[]) if (a.has(key)) o[key] = Number(a.get(key));
    const t = performance.now();
    const r = rgcr(name, o);
    const f = gcr(name, o);
    rows.push({ graph: name, options: o, published: PUBLISHED[name], rgcr: r, gcr: f, seconds: (performance.now() - t) / 1000 });
  }
  const f = (x: number, d = 4) => x.toPrecision(d);
  const lines = [
    '| graph | GCR Hajek bias (median) | GCR Hajek MSE (median) | RGCR Hajek bias | RGCR Hajek MSE | RGCR HT variance |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.graph} | ${f(r.gcr.bias)} (${r.published.gcrBias}) | ${f(r.gcr.mse)} (${r.published.gcrMse}) | ${f(r.rgcr.hajekBias.value, 3)} ±${f(r.rgcr.hajekBias.se, 2)} (${r.published.rgcrBias}) | ${f(r.rgcr.hajekMse.value)} ±${f(r.rgcr.hajekMse.se, 2)} (${r.published.rgcrMse}) | ${f(r.rgcr.htVariance.value)} ±${f(r.rgcr.htVariance.se, 2)} (${r.published.rgcrHtVar}) |`,
    ),
  ];
  if (a.has('markdown')) process.stdout.write(lines.join('\n') + '\n');
  else
    process.stdout.write(
      JSON.stringify({ bench: 'rgcr-small-world', nodes: rows.reduce((s, r) => s + r.published.n, 0), rows, table: lines }) + '\n',
    );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
