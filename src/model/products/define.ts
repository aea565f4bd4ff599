// The shell every product model shares: the model needs group threads; each
// replication's draw is the users' traits (traits.ts) plus one purpose key
// per named random purpose (hash.ts); a world's simulation starts from who
// has the feature in each thread membership; without network effects each
// user lives in a world of their own state (personalWorlds); the readout adds
// daily values and segment covariates. A product model supplies its metrics,
// its purpose keys and `parts`: what it adds to the draw, its simulation and
// its readout recorder.
// Pre-period baseline (opt-in, `baseline: true`): the covariate 'baseline' is
// each user's primary metric (scaled as the metric) over a simulated
// pre-period of the same horizon with no one treated. It shares the draw's
// latent traits (activity, quality, ties), so it is correlated with the
// outcome, but its day-by-day randomness comes from purpose keys of its own
// (names.purpose.productPreKey), so every outcome is the same with or
// without it. Its purpose keys are drawn with the draw; the pre-period is
// simulated (one more world) only when an estimator asks for the covariate.
import type { SocialGraph, Threads } from '../../graph/csr.js';
import { UserError } from '../../errors.js';
import { outcomeBuffers, type Metric, type ModelContext, type World } from '../model.js';
import { keyFrom } from '../../random/hash.js';
import { purpose } from '../../random/names.js';
import {
  featureByMembership,
  personalBuffers,
  personalWorlds,
  type Extras,
  type MetricInfo,
  type PersonalBuffers,
  type ProductModel,
} from './product.js';
import { drawTraits, friendPairShare, userGroupCovariates, type TraitParams, type Traits } from './traits.js';

/** The parameters the shell reads (productBase in schema.ts). */
export interface ProductParams extends TraitParams {
  readonly horizon: number;
  readonly networkEffects: boolean;
  /** offer covariate 'baseline', the primary metric over a pre-period with no one treated */
  readonly baseline?: boolean | undefined;
}

/** What a model's parts are built from: the scenario's graph with its threads (checked present). */
export interface ProductContext<P> {
  readonly graph: SocialGraph;
  readonly threads: Threads;
  readonly n: number;
  readonly p: P;
}

/** The draw the shell makes for every product model. */
export interface BaseDraw<K extends string> {
  readonly traits: Traits;
  readonly keys: Record<K, number>;
}

export interface ProductParts<K extends string, D, S> {
  /** the whole draw from the shell's; `key(name)` draws a further purpose key under the model's prefix */
  draw(base: BaseDraw<K>, key: (name: string) => number): D;
  /** the readout's recorder, around the daily metric's per-user daily values */
  sink(daily: Float32Array): S;
  /** one world, `has` saying who has the feature per thread membership: outcomes into num/den (sink null outside the readout) */
  simulate(draw: D, world: World, has: Uint8Array, num: Float64Array[], den: Float64Array[], sink: S | null): void;
  /** readout extras beyond the horizon, daily values and covariates */
  extras?(sink: S): Pick<Extras, 'events' | 'participants' | 'adoption'>;
}

export interface ProductDefinition<P, K extends string, D, S> {
  readonly type: string;
  /** purpose key k is drawn from the model stream names.purpose.productKey(keyPrefix, k) */
  readonly keyPrefix: string;
  readonly keys: readonly K[];
  readonly metrics: readonly (readonly [Metric, MetricInfo])[];
  /** the metric whose numerator the readout's daily series holds (default: the primary) */
  readonly dailyMetric?: string;
  parts(ctx: ProductContext<P>): ProductParts<K, D, S>;
}

export function defineProductModel<P extends ProductParams, K extends string, D extends BaseDraw<K>, S>(
  def: ProductDefinition<P, K, D, S>,
): (ctx: ModelContext, p: P) => ProductModel<D> {
  return (ctx, p) => {
    const graph = ctx.graph;
    const th = graph.threads;
    if (!th) throw new UserError(`model "${def.type}" needs group threads; add a "threads" section to the scenario`, 'ESCENARIO');
    const n = graph.csr.n;
    const H = p.horizon;
    const share = friendPairShare(graph.csr, th);
    const has = new Uint8Array(th.members.length);
    const parts = def.parts({ graph, threads: th, n, p });
    let tmp: PersonalBuffers | null = null;
    // the draw personalWorlds simulates with, so its callback is made once per model, not per world
    let personalDraw: D | null = null;
    const simulatePersonal = (w: World, a: Float64Array[], b: Float64Array[]) => run(personalDraw!, w, a, b, null);
    // the pre-period: each draw's own pre-period draw, and its baseline once simulated
    const primary = Math.max(
      0,
      def.metrics.findIndex((m) => m[1].role === 'primary'),
    );
    const preDraws = new WeakMap<D, D>();
    const baselines = new WeakMap<D, Map<number, Float64Array>>();
    let preBuffers: { num: Float64Array[]; den: Float64Array[] } | null = null;
    const noOne: World = { dose: new Float64Array(n), threadOn: null };
    function baselineOf(draw: D, k: number): Float64Array | null {
      const pre = preDraws.get(draw);
      if (!pre || k < 0 || model.metrics[k]!.ratio) return null;
      let known = baselines.get(draw);
      if (!known) {
        // no one treated: every user's world is the all-control one, with or without network effects
        preBuffers ??= outcomeBuffers(model, n);
        run(pre, noOne, preBuffers.num, preBuffers.den, null);
        const scales = model.metrics.map((m) => m.scale);
        known = new Map(preBuffers.num.map((col, j) => [j, Float64Array.from(col, (v) => scales[j]! * v)]));
        baselines.set(draw, known);
      }
      return known.get(k) ?? null;
    }

    function run(draw: D, world: World, num: Float64Array[], den: Float64Array[], sink: S | null): void {
      featureByMembership(world, th!.offsets, th!.members, has);
      parts.simulate(draw, world, has, num, den, sink);
    }

    const model: ProductModel<D> = {
      type: def.type,
      metrics: def.metrics.map((m) => m[0]),
      info: def.metrics.map((m) => m[1]),
      horizon: H,
      draw(rng) {
        const traits = drawTraits(graph, share, p, rng);
        const key = (name: string) => keyFrom(rng(purpose.productKey(def.keyPrefix, name)));
        const keys = Object.fromEntries(def.keys.map((k) => [k, key(k)])) as Record<K, number>;
        const draw = parts.draw({ traits, keys }, key);
        if (p.baseline) {
          // the pre-period's purpose keys come from streams of their own, drawn after the outcome's
          const preKey = (name: string) => keyFrom(rng(purpose.productPreKey(def.keyPrefix, name)));
          const preKeys = Object.fromEntries(def.keys.map((k) => [k, preKey(k)])) as Record<K, number>;
          preDraws.set(draw, parts.draw({ traits, keys: preKeys }, preKey));
        }
        return draw;
      },
      covariate: (name, draw) =>
        name === 'baseline'
          ? baselineOf(draw, primary)
          : name.startsWith('baseline:')
            ? baselineOf(
                draw,
                model.metrics.findIndex((m) => m.name === name.slice('baseline:'.length)),
              )
            : null,
      outcomes(draw, world, num, den) {
        if (p.networkEffects || world.threadOn) return run(draw, world, num, den, null);
        tmp ??= personalBuffers(n, outcomeBuffers(this, n));
        personalDraw = draw;
        personalWorlds(n, world, num, den, tmp, simulatePersonal);
        personalDraw = null;
      },
      readout(draw, world, num, den) {
        const daily = new Float32Array(H * n);
        const sink = parts.sink(daily);
        run(draw, world, num, den, sink);
        const { meanTie, maxSize } = userGroupCovariates(th, draw.traits.tie);
        return {
          horizon: H,
          daily,
          dailyMetric: def.dailyMetric ?? model.metrics[primary]!.name,
          covariates: { activity: draw.traits.activity, lowConn: draw.traits.lowConn, meanTie, maxSize },
          ...parts.extras?.(sink),
        };
      },
    };
    return model;
  };
}
