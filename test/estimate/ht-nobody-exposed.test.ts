// Horvitz–Thompson when no user is in either world: the estimate is 0 by
// construction, and the Aronow–Samii sum is empty, so a standard error of 0
// would claim the estimate is known exactly. The row keeps the estimate and
// has no standard error, with its reason.
import { describe, expect, it } from 'vitest';
import { createDesign } from '../../src/design/index.js';
import { ipwEstimator } from '../../src/estimate/horvitz-thompson.js';
import { stream } from '../../src/random/streams.js';
import { ringLattice } from '../helpers/graphs.js';

describe('HT with nobody exposed', () => {
  const graph = ringLattice(40, 2);
  const design = createDesign({ graph, rng: (p) => stream(1, p) }, { type: 'user-bernoulli', p: 0.5 });
  const ht = ipwEstimator('ht').prepare({ graph, design, seed: 1, cache: new Map() });
  const rep = (dose: Float64Array) => ({
    dose,
    unitZ: Uint8Array.from(dose),
    y: Float64Array.from({ length: 40 }, (_, i) => 1 + (i % 3)),
    den: null,
    memo: new Map(),
    draw: null,
  });

  it('alternating arms on a ring: every user has a friend in the other arm, so the estimate is 0 with no SE', () => {
    const e = ht(rep(Float64Array.from({ length: 40 }, (_, i) => i % 2)));
    expect(e.estimate).toBe(0);
    expect(e.se).toBeNaN();
    expect(e.reason).toBe('no-user-exposed');
  });

  it('blocks of four: users inside a block are in a world, and the SE is a number', () => {
    const e = ht(rep(Float64Array.from({ length: 40 }, (_, i) => Math.floor(i / 4) % 2)));
    expect(Number.isFinite(e.se)).toBe(true);
    expect(e.reason).toBeUndefined();
  });
});
