// Exposure probabilities for any design and mapping: one strategy per
// design structure, chosen by an exhaustive switch (a new structure kind is
// a compile error here until it has one). Fixed units: enumeration or closed
// forms (fixed-units.ts); random clusterings: a mixture's exact average or
// RGCR's Monte Carlo (random-clustering.ts); designs whose grouping changes
// per draw in other ways: Monte Carlo over the design's own draws. Joint
// probabilities are kept only for pairs whose exposures can be dependent.
import type { CSR } from '../../graph/csr.js';
import type { Design } from '../../design/design.js';
import { fixedUnits } from './fixed-units.js';
import type { ExposureMapping } from './mappings.js';
import { randomClustering } from './random-clustering.js';
import { route, type Route } from './route.js';
import type { ExposureProbabilities, ProbabilityOptions } from './types.js';

export function exposureProbabilities(g: CSR, design: Design, mapping: ExposureMapping, o: ProbabilityOptions): ExposureProbabilities {
  const r = route(g, design, mapping, o);
  const st = design.structure;
  switch (st.kind) {
    case 'fixed':
      return fixedUnits(r, st);
    case 'rollout':
      // the observed (last) stage treats every unit independently with probability p_T: a fixed Bernoulli design
      return fixedUnits(r, { kind: 'fixed', scheme: st.scheme, threadUnits: 0 });
    case 'random-clustering':
      return randomClustering(r, st.clustering);
    case 'ego':
      // users outside every ego network have no unit
      return ownDraws(r, 'ego clusters');
    case 'saturation':
      // which users are treated together depends on the stage-1 draw
      return ownDraws(r, 'randomized saturation');
    case 'two-arms':
      // which users share a coin depends on the arm draw
      return ownDraws(r, 'two arms');
  }
}

/** Monte Carlo over the design's own draws, with no dependent pairs listed. */
function ownDraws(r: Route, what: string): ExposureProbabilities {
  r.notes.push(`${what}: probabilities by Monte Carlo, no dependent pairs listed, so no Aronow–Samii variance`);
  return r.monteCarloBoth(null);
}

export { IMPRECISE_JOINTS, JOINT_BUDGET, type ExposureProbabilities, type ProbabilityOptions } from './types.js';
export { exposureMapping, type ExposureMapping, type MappingSpec } from './mappings.js';
export type { Joint } from './closed-form.js';
export type { PairList } from './pairs.js';
