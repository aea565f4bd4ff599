// The Ugander & Yin (2023, section 6.2) response model: degree-scaled
// control outcomes, a treated world scaled so the global effect is exactly
// tau, and partial exposure mixing the two worlds.
import { describe, expect, it } from 'vitest';
import { createModel, globalEffect } from '../../src/model/index.js';
import { torus, torusCoords } from '../../src/graph/generators/torus.js';
import { stream } from '../../src/random/streams.js';
import { fromEdgeList } from '../helpers/graphs.js';

const base = fromEdgeList(5, [
  [0, 1],
  [1, 2],
  [2, 0],
  [2, 3],
  [3, 4],
]);
const graph = { ...base, attributes: { h: Float64Array.from([1, -1, 0.5, 0, -0.5]), e: Float64Array.from([0.2, -0.1, 0, 1, -1]) } };
const spec = {
  type: 'ugander-yin',
  a: 1,
  b: 0.5,
  sigma: 0.1,
  tau: 0.3,
  homophily: 'h',
  noise: 'e',
  direct: 0.25,
  curvature: 2,
  seed: 0,
} as const;

describe('Ugander–Yin response model', () => {
  const model = createModel({ graph }, spec);
  const deg = [2, 2, 3, 2, 1];
  const dbar = 2;
  const y0 = deg.map((d, i) => ((1 + 0.5 * graph.attributes.h[i]! + 0.1 * graph.attributes.e[i]!) * d) / dbar);
  const mu0 = y0.reduce((s, v) => s + v, 0) / 5;
  const out = [new Float64Array(5)];

  it('control world: (a + b h + sigma e) d / mean degree', () => {
    model.outcomes(null, { dose: new Float64Array(5), threadOn: null }, out, []);
    y0.forEach((v, i) => expect(out[0]![i]).toBeCloseTo(v, 12));
  });
  it('treated world is Y(0)(1 + tau/mu0): the global effect is exactly tau', () => {
    model.outcomes(null, { dose: new Float64Array(5).fill(1), threadOn: null }, out, []);
    y0.forEach((v, i) => expect(out[0]![i]).toBeCloseTo(v * (1 + 0.3 / mu0), 12));
    expect(globalEffect(model, null, 5)[0]).toBeCloseTo(0.3, 12);
  });
  it('partial exposure mixes by direct treatment and treated friend share', () => {
    const dose = Float64Array.from([1, 0, 0, 1, 1]);
    model.outcomes(null, { dose, threadOn: null }, out, []);
    const share = [0, 0.5, 2 / 3, 0.5, 1];
    share.forEach((s, i) => {
      const w = 0.25 * dose[i]! + 0.75 * s ** 2;
      expect(out[0]![i]).toBeCloseTo(y0[i]! * (1 + (0.3 / mu0) * w), 12);
    });
  });
  it('generates a smooth homophily field on torus coordinates', () => {
    const side = 12;
    const g = torus({ side, radius: 1, longRangeMean: 0, exponent: 2, tail: 2.5 }, stream(1, 'g'));
    const m = createModel(
      { graph: { ...g, attributes: { ...torusCoords(side) } } },
      { type: 'ugander-yin', a: 2, b: 1, sigma: 0, tau: 1, direct: 0.5, curvature: 1, seed: 3 },
    );
    const y = new Float64Array(side * side);
    m.outcomes(null, { dose: new Float64Array(side * side), threadOn: null }, [y], []);
    // every node has degree 4 = mean degree, so y = a + b h with |h| <= 1; neighbours differ little
    let jump = 0;
    for (let i = 0; i < side * side; i++) {
      expect(Math.abs(y[i]! - 2)).toBeLessThanOrEqual(1 + 1e-12);
      const right = i % side === side - 1 ? i - side + 1 : i + 1;
      jump = Math.max(jump, Math.abs(y[i]! - y[right]!));
    }
    expect(jump).toBeLessThan((2 * Math.PI) / side + 1e-9);
  });
});
