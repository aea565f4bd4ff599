// Exposure probabilities for fixed units (user, thread, cluster, block
// designs): enumeration when there are few units, else closed forms over
// each user's unit set; Monte Carlo over the design's own draws for what has
// none (fractional exposure beyond independent clusters).
import type { Structure } from '../../design/design.js';
import { closedJoints, closedMarginals, hasClosedForm } from './closed-form.js';
import { enumerate, ENUMERATION_MAX_UNITS } from './enumerate.js';
import { mapSets } from './pairs.js';
import type { Route } from './route.js';
import { unitSets } from './sets.js';
import type { ExposureProbabilities } from './types.js';

export function fixedUnits(r: Route, st: Extract<Structure, { kind: 'fixed' }>): ExposureProbabilities {
  const { g, design, mapping, notes } = r;
  const { units } = design;
  const scheme = st.scheme;
  if (units.count <= ENUMERATION_MAX_UNITS && g.n <= 64) {
    const e = enumerate(g, design, mapping);
    return r.finish(e.p1, e.p0, e.pairs, e.joint, 'enumeration');
  }
  const sets = unitSets(g, units, mapping.scope);
  // the independent random blocks deciding each user's exposure: its units,
  // or the pairs or blocks of units randomized together. Under blocked
  // randomization every two users whose sets touch a common block are
  // listed: blocks are often small (a few clusters), so within-block
  // covariances (-p(1-p)/(m-1) between two units of an m-unit block) are
  // not the small ones complete randomization leaves out, and users
  // touching no common block are exactly independent: the list is exact.
  let blocks = sets;
  if (scheme.kind === 'paired') blocks = mapSets(sets, (u) => Math.min(u, scheme.partner[u]! < 0 ? u : scheme.partner[u]!), units.count);
  if (scheme.kind === 'blocked') blocks = mapSets(sets, (u) => scheme.block[u]!, units.count);
  if (scheme.kind === 'complete')
    notes.push('complete randomization: pairs sharing no unit are treated as independent (their small covariances are left out)');
  const pairs = r.pairsFrom(blocks, units.count);
  if (hasClosedForm(units, scheme, mapping)) {
    const { p1, p0 } = closedMarginals(g, units, scheme, mapping);
    // blocks are the unit sets themselves except for paired and blocked schemes
    const joint = pairs ? closedJoints(g, units, scheme, mapping, pairs, blocks !== sets ? sets : undefined) : null;
    if (pairs && !joint) {
      const m = r.mc(false, pairs);
      return r.finish(p1, p0, pairs, m.joint, 'closed form', m);
    }
    return r.finish(p1, p0, pairs, joint, 'closed form');
  }
  return r.monteCarloBoth(pairs);
}
