// Under RGCR the cluster difference in means uses the replication's own
// clustering: it must equal the fixed-clustering estimate for that clustering.
import { describe, expect, it } from 'vitest';
import { createDesign, doseOf, partitionUnits, type Design } from '../../src/design/index.js';
import { getEstimator } from '../../src/estimate/index.js';
import { torus } from '../../src/graph/generators/torus.js';
import { normal, stream } from '../../src/random/streams.js';

describe('cluster-dm under a random clustering', () => {
  const graph = torus({ side: 12, radius: 1, longRangeMean: 0.5, exponent: 2, tail: 2.5 }, stream(1, 'g'));
  const n = graph.csr.n;
  const rgcr = createDesign({ graph, rng: (p) => stream(2, p) }, { type: 'rgcr', p: 0.5, clustering: { method: 'one-hop-max' } });
  const est = getEstimator('cluster-dm');
  it('applies to RGCR and matches the fixed design built from the drawn clustering', () => {
    expect(est.notApplicable(rgcr)).toBeNull();
    const z = new Uint8Array(n);
    const info = rgcr.drawUnits(stream(3, 'assign'), z);
    if (info?.kind !== 'clustering') throw new Error('RGCR draws a clustering');
    const dose = doseOf(rgcr.units, z, new Float64Array(n));
    const e = normal(stream(4, 'y'));
    const y = Float64Array.from({ length: n }, (_, i) => 1 + dose[i]! + e());
    const random = est.prepare({ graph, design: rgcr })({ dose, unitZ: z, y, den: null, memo: new Map(), draw: info });
    const units = partitionUnits(info.labels.slice(), info.count);
    const clusterZ = new Uint8Array(info.count);
    for (let i = 0; i < n; i++) clusterZ[info.labels[i]!] = z[i]!;
    const fixed: Design = {
      ...rgcr,
      structure: { kind: 'fixed', scheme: { kind: 'bernoulli', p: rgcr.p }, threadUnits: 0 },
      units,
      type: 'cluster',
    };
    const direct = est.prepare({ graph, design: fixed })({ dose, unitZ: clusterZ, y, den: null, memo: new Map() });
    // and the estimate is the users' difference in arm means, computed here directly
    const arm = (a: number) => {
      let s = 0,
        c = 0;
      for (let i = 0; i < n; i++) if (dose[i] === a) ((s += y[i]!), c++);
      return s / c;
    };
    expect(random.estimate).toBeCloseTo(arm(1) - arm(0), 12);
    expect(random.estimate).toBeCloseTo(direct.estimate, 12);
    expect(random.se).toBeCloseTo(direct.se, 12);
    expect(random.df).toBe(direct.df);
  });
});
