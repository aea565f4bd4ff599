// Every user's potential outcomes in the all-treated and all-control worlds,
// from the model's draw for replication 0 (the same streams the replicator
// uses), and whether they are fixed: a second draw (replication 1) either
// gives the same numbers (fixed potential outcomes, as in design-based
// inference) or not (e.g. fresh noise), in which case a design variance
// computed from them is conditional on replication 0's draw.
import { assignment, type Design } from '../../design/index.js';
import { outcomeBuffers, type OutcomeModel } from '../../model/index.js';
import { fastStream } from '../../random/fast.js';
import * as names from '../../random/names.js';
import type { SocialGraph } from '../../graph/csr.js';
import type { ExposureMapping } from '../exposure/index.js';

export interface PotentialOutcomes {
  readonly y1: Float64Array;
  readonly y0: Float64Array;
  /** replication 1's draw gives the same outcomes in both worlds */
  readonly fixed: boolean;
  /** the model's draw for replication 0, for checking observed outcomes */
  readonly draw: unknown;
}

function worlds(model: OutcomeModel<any>, draw: unknown, n: number, k: number): [Float64Array, Float64Array] {
  const out = outcomeBuffers(model, n);
  model.outcomes(draw, { dose: new Float64Array(n).fill(1), threadOn: null }, out.num, out.den);
  const y1 = Float64Array.from(out.num[k]!);
  model.outcomes(draw, { dose: new Float64Array(n), threadOn: null }, out.num, out.den);
  return [y1, Float64Array.from(out.num[k]!)];
}

export function potentialOutcomes(model: OutcomeModel<any>, seed: number | string, n: number, metric: number): PotentialOutcomes {
  const draw = model.draw((purpose) => fastStream(seed, ...names.rep(0, purpose)));
  const [y1, y0] = worlds(model, draw, n, metric);
  // never reuse replication 0's draw buffers for the comparison draw
  const [z1, z0] = worlds(
    model,
    model.draw((purpose) => fastStream(seed, ...names.rep(1, purpose))),
    n,
    metric,
  );
  const same = (a: Float64Array, b: Float64Array) => a.every((v, i) => v === b[i]);
  return { y1, y0, fixed: same(y1, z1) && same(y0, z0), draw };
}

/**
 * Under replication 0's assignment of the design, how many users the mapping
 * puts in a world, and how many of those have an observed outcome that is
 * not their potential outcome in that world (the mapping leaves out some of
 * the interference, as a fractional threshold or thread-level exposure
 * under friend effects does).
 */
export function mappingCheck(
  graph: SocialGraph,
  model: OutcomeModel<any>,
  po: PotentialOutcomes,
  design: Design,
  mapping: ExposureMapping,
  seed: number | string,
  metric: number,
): { exposed: number; differ: number } {
  const n = graph.csr.n;
  const z = new Uint8Array(design.units.count);
  const draw = design.drawUnits(fastStream(seed, ...names.repAssign(0, design.name)), z) ?? null;
  const { dose, threadOn } = assignment(design, z, draw, { dose: new Float64Array(n), treated: new Uint8Array(n) });
  const out = outcomeBuffers(model, n);
  model.outcomes(po.draw, { dose, threadOn }, out.num, out.den);
  const y = out.num[metric]!;
  const ex = mapping.classify(graph.csr, dose, new Int8Array(n));
  let exposed = 0,
    differ = 0;
  for (let i = 0; i < n; i++) {
    if (ex[i]! < 0) continue;
    exposed++;
    const want = ex[i] === 1 ? po.y1[i]! : po.y0[i]!;
    if (Math.abs(y[i]! - want) > 1e-9 * (1 + Math.abs(want))) differ++;
  }
  return { exposed, differ };
}
