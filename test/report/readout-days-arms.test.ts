// The adoption curves' arms under a thread design (run --by-day, readout
// --days): the treatment arm is the users with dose exactly 1 (all of their
// groups treated), the control arm those with dose exactly 0 (none); users
// with some of their groups treated, whose dose is fractional, are in
// neither. Pinned on one replication against a count made here: each user's
// dose from the replication's thread assignment and the user's threads (a
// user in no thread has a unit of their own), and each user's adoption and
// lapse days in that world.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/sim/plan.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { daysByDesign } from '../../src/report/readout-days.js';
import { assignment } from '../../src/design/index.js';
import { outcomeBuffers } from '../../src/model/index.js';
import type { ProductModel } from '../../src/model/products/product.js';
import { fastStream } from '../../src/random/fast.js';
import * as names from '../../src/random/names.js';

const H = 12;
const seed = 11;
const plan = buildPlan(
  parseScenario({
    seed,
    graph: { generator: 'sbm', blocks: 4, blockSize: 80, pIn: 0.1, pOut: 0.002 },
    threads: { meanThreadsPerUser: 3 },
    model: { type: 'group-calls', horizon: H, startRate: 0.05, adoption: { hazard: 0.08, perExposure: 0.3, lapse: 0.05 } },
    designs: [{ type: 'thread', name: 'thread', p: 0.5 }],
    estimators: ['dm'],
  }),
);

describe('thread design: the adoption arms are dose exactly 1 and exactly 0', () => {
  const days = daysByDesign(plan, 1);
  const g = days.designs[0]!;
  const n = plan.graph.csr.n;
  const threads = plan.graph.threads!;
  const design = plan.designs[0]!.design;
  // replication 0's assignment, from its stream
  const unitZ = new Uint8Array(design.units.count);
  const info = design.drawUnits(fastStream(seed, ...names.repAssign(0, design.name)), unitZ) ?? null;
  // each user's dose counted here: treated threads / threads; a user in no thread has a unit of their own
  const treated = new Float64Array(n);
  const of = new Float64Array(n);
  let own = threads.count;
  for (let i = 0; i < n; i++) {
    const a = threads.userOffsets[i]!;
    const b = threads.userOffsets[i + 1]!;
    if (a === b) {
      of[i] = 1;
      treated[i] = unitZ[own++]!;
    } else {
      of[i] = b - a;
      for (let k = a; k < b; k++) treated[i]! += unitZ[threads.userThreads[k]!]!;
    }
  }
  const all = Array.from({ length: n }, (_, i) => i).filter((i) => treated[i] === of[i]);
  const none = Array.from({ length: n }, (_, i) => i).filter((i) => treated[i] === 0);
  const mixed = n - all.length - none.length;

  // the world of that assignment on replication 0's draw: each user's adoption and lapse days
  const pm = plan.model as ProductModel<unknown>;
  const draw = pm.draw((purpose) => fastStream(seed, ...names.rep(0, purpose)));
  const { dose, threadOn } = assignment(design, unitZ, info, { dose: new Float64Array(n), treated: new Uint8Array(n) });
  const out = outcomeBuffers(pm, n);
  const { day, lapsed } = pm.readout(draw, { dose, threadOn }, out.num, out.den).adoption!;
  const using = (users: number[], d: number) =>
    users.filter((i) => day[i]! >= 0 && day[i]! <= d && !(lapsed[i]! >= 0 && lapsed[i]! <= d)).length / users.length;

  it('the doses are fractional for many users, so the check can fail', () => {
    expect(mixed).toBeGreaterThan(n / 4);
    expect(all.length).toBeGreaterThan(10);
    expect(none.length).toBeGreaterThan(10);
    // the package's doses agree with the count at 0 and 1
    expect(all.every((i) => dose[i] === 1)).toBe(true);
    expect(none.every((i) => dose[i] === 0)).toBe(true);
    expect(Array.from(dose).filter((x) => x === 1 || x === 0).length).toBe(all.length + none.length);
  });

  it('the treatment arm curve is the share using the feature among dose-1 users, the control arm among dose-0 users', () => {
    const a = g.adoption!;
    expect(a.treatment.replications).toBe(1);
    expect(a.control.replications).toBe(1);
    for (let d = 0; d < H; d++) {
      expect(a.treatment.share[d]).toBe(using(all, d));
      expect(a.control.share[d]).toBe(using(none, d));
    }
    // they move: the treated arm adopts, and some lapse (lapse 0.05)
    expect(a.treatment.share[H - 1]).toBeGreaterThan(0.2);
    expect(Array.from(lapsed).some((x) => x >= 0)).toBe(true);
    // all of the arm's users treated: nobody without the feature adopts
    expect(a.control.share.every((x) => x === 0)).toBe(true);
    // and the mixed users, left out, adopt at a rate of their own
    const rest = Array.from({ length: n }, (_, i) => i).filter((i) => dose[i]! > 0 && dose[i]! < 1);
    expect(using(rest, H - 1)).not.toBe(a.treatment.share[H - 1]);
  });
});
