// Generators against theory: fixed seeds, tolerances from the sampling SD.
import { describe, expect, it } from 'vitest';
import { degree, edgeCount, type CSR } from '../../../src/graph/csr.js';
import { stream } from '../../../src/random/streams.js';
import { UserError } from '../../../src/errors.js';
import { barabasiAlbert, sbm, sbmExpectedEdges, torus, torusCoords, wattsStrogatz } from '../../../src/graph/generators/index.js';

/** CSR invariants: offsets monotone, rows strictly increasing (sorted, no duplicates), no self-loops, symmetric. */
function checkCsr(g: CSR): void {
  const { n, offsets, nbrs } = g;
  expect(offsets.length).toBe(n + 1);
  expect(offsets[0]).toBe(0);
  expect(nbrs.length).toBe(offsets[n]);
  for (let i = 0; i < n; i++) {
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    if (b < a) throw new Error(`offsets decrease at ${i}`);
    for (let k = a; k < b; k++) {
      const j = nbrs[k]!;
      if (j >= n) throw new Error(`node ${i}: neighbour ${j} out of range`);
      if (j === i) throw new Error(`node ${i}: self-loop`);
      if (k > a && nbrs[k - 1]! >= j) throw new Error(`node ${i}: row not strictly increasing`);
      if (!hasEdge(g, j, i)) throw new Error(`edge ${i}-${j} not symmetric`);
    }
  }
}

function hasEdge(g: CSR, i: number, j: number): boolean {
  let lo = g.offsets[i]!;
  let hi = g.offsets[i + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (g.nbrs[mid]! < j) lo = mid + 1;
    else hi = mid;
  }
  return lo < g.offsets[i + 1]! && g.nbrs[lo] === j;
}

function edges(g: CSR): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < g.n; i++) {
    for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) if (g.nbrs[k]! > i) out.push([i, g.nbrs[k]!]);
  }
  return out;
}

/** Mean local clustering over nodes of degree >= 2. */
function clustering(g: CSR): number {
  const mark = new Int32Array(g.n).fill(-1);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < g.n; i++) {
    const d = degree(g, i);
    if (d < 2) continue;
    for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) mark[g.nbrs[k]!] = i;
    let links = 0;
    for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) {
      const j = g.nbrs[k]!;
      for (let l = g.offsets[j]!; l < g.offsets[j + 1]!; l++) if (mark[g.nbrs[l]!] === i) links++;
    }
    sum += links / (d * (d - 1));
    count++;
  }
  return sum / count;
}

function degrees(g: CSR): number[] {
  return Array.from({ length: g.n }, (_, i) => degree(g, i));
}

function sameGraph(a: CSR, b: CSR): boolean {
  return (
    a.n === b.n &&
    a.offsets.every((x, i) => x === b.offsets[i]) &&
    a.nbrs.length === b.nbrs.length &&
    a.nbrs.every((x, i) => x === b.nbrs[i])
  );
}

function expectUserError(f: () => unknown, option: RegExp): void {
  expect(f).toThrow(UserError);
  expect(f).toThrow(option);
}

describe('sbm', () => {
  const sizes = [300, 500, 200, 400, 600];
  const pIn = 0.05;
  const pOut = 0.004;
  const g = sbm({ sizes, pIn, pOut }, stream(1, 'sbm'));
  const n = 2000;
  const withinPairs = sizes.reduce((a, s) => a + (s * (s - 1)) / 2, 0);
  const betweenPairs = (n * n - sizes.reduce((a, s) => a + s * s, 0)) / 2;
  const eW = withinPairs * pIn;
  const eB = betweenPairs * pOut;
  const sdW = Math.sqrt(withinPairs * pIn * (1 - pIn));
  const sdB = Math.sqrt(betweenPairs * pOut * (1 - pOut));
  const within = edges(g.csr).filter(([i, j]) => g.blocks![i] === g.blocks![j]).length;
  const m = edgeCount(g.csr);

  it('is a valid CSR with blocks numbered in order', () => {
    checkCsr(g.csr);
    expect(g.csr.n).toBe(n);
    expect(Array.from(g.blocks!.slice(295, 305))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(g.blocks![n - 1]).toBe(4);
  });

  it('edge counts match the expectation within 4 SD', () => {
    expect(sbmExpectedEdges(sizes, pIn, pOut)).toBeCloseTo(eW + eB, 6);
    expect(Math.abs(m - (eW + eB))).toBeLessThan(4 * Math.sqrt(sdW ** 2 + sdB ** 2));
    expect(Math.abs(within - eW)).toBeLessThan(4 * sdW);
    expect(Math.abs(m - within - eB)).toBeLessThan(4 * sdB);
    // mean degree 2m / n
    expect(Math.abs((2 * m) / n - (2 * (eW + eB)) / n)).toBeLessThan((8 * Math.sqrt(sdW ** 2 + sdB ** 2)) / n);
  });

  it('within-block share matches (delta-method SD)', () => {
    const e = eW / (eW + eB);
    const sd = Math.sqrt(eB ** 2 * sdW ** 2 + eW ** 2 * sdB ** 2) / (eW + eB) ** 2;
    expect(Math.abs(within / m - e)).toBeLessThan(4 * sd);
  });

  it('each pair appears with its own probability (skip index mapping)', () => {
    // sizes [3, 4]: 3 + 6 within pairs at pIn, 12 between pairs at pOut; 2000 runs
    const reps = 2000;
    const count = new Map<string, number>();
    for (let r = 0; r < reps; r++) {
      const h = sbm({ sizes: [3, 4], pIn: 0.3, pOut: 0.6 }, stream(7, 'pairs', r));
      for (const [i, j] of edges(h.csr)) count.set(`${i}-${j}`, (count.get(`${i}-${j}`) ?? 0) + 1);
    }
    for (let i = 0; i < 7; i++) {
      for (let j = i + 1; j < 7; j++) {
        const p = i < 3 === j < 3 ? 0.3 : 0.6;
        const c = count.get(`${i}-${j}`) ?? 0;
        expect(Math.abs(c - reps * p), `pair ${i}-${j}`).toBeLessThan(4 * Math.sqrt(reps * p * (1 - p)));
      }
    }
  });

  it('pIn = 1, pOut = 0 gives disjoint cliques; p = 0 gives no edges', () => {
    const c = sbm({ sizes: [4, 1, 6], pIn: 1, pOut: 0 }, stream(1));
    checkCsr(c.csr);
    expect(edgeCount(c.csr)).toBe(6 + 0 + 15);
    expect(edges(c.csr).every(([i, j]) => c.blocks![i] === c.blocks![j])).toBe(true);
    expect(edgeCount(sbm({ sizes: [50, 50], pIn: 0, pOut: 0 }, stream(1)).csr)).toBe(0);
    expect(edgeCount(sbm({ sizes: [5, 6], pIn: 0, pOut: 1 }, stream(1)).csr)).toBe(30);
  });

  it('is deterministic per seed and can use shared memory', () => {
    const again = sbm({ sizes, pIn, pOut }, stream(1, 'sbm'), true);
    expect(sameGraph(g.csr, again.csr)).toBe(true);
    expect(again.csr.nbrs.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(again.blocks!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(sameGraph(g.csr, sbm({ sizes, pIn, pOut }, stream(2, 'sbm')).csr)).toBe(false);
  });

  it('rejects bad parameters', () => {
    const rng = stream(1);
    expectUserError(() => sbm({ sizes: [], pIn: 0.1, pOut: 0.1 }, rng), /sbm: sizes/);
    expectUserError(() => sbm({ sizes: [3, 0], pIn: 0.1, pOut: 0.1 }, rng), /sbm: sizes/);
    expectUserError(() => sbm({ sizes: [3, 2.5], pIn: 0.1, pOut: 0.1 }, rng), /sbm: sizes/);
    expectUserError(() => sbm({ sizes: [3], pIn: 2, pOut: 0.1 }, rng), /sbm: pIn must be a number in \[0, 1\], got 2/);
    expectUserError(() => sbm({ sizes: [3], pIn: 0.1, pOut: NaN }, rng), /sbm: pOut/);
  });
});

describe('watts-strogatz', () => {
  const n = 1000;
  const k = 10;
  const isRing = (i: number, j: number) => {
    const d = Math.abs(i - j);
    return Math.min(d, n - d) <= k / 2;
  };

  it('beta = 0 is the ring lattice, clustering 3(k-2)/(4(k-1))', () => {
    const g = wattsStrogatz({ n, k, beta: 0 }, stream(1, 'ws')).csr;
    checkCsr(g);
    expect(edgeCount(g)).toBe((n * k) / 2);
    expect(degrees(g).every((d) => d === k)).toBe(true);
    expect(edges(g).every(([i, j]) => isRing(i, j))).toBe(true);
    expect(clustering(g)).toBeCloseTo((3 * (k - 2)) / (4 * (k - 1)), 12);
  });

  it('rewiring keeps exactly n·k/2 edges and rewires a beta share', () => {
    const m = (n * k) / 2;
    for (const beta of [0.2, 1]) {
      const g = wattsStrogatz({ n, k, beta }, stream(1, 'ws', beta)).csr;
      checkCsr(g);
      expect(edgeCount(g)).toBe(m);
      // every node keeps its k/2 owned edges, wherever they point
      expect(Math.min(...degrees(g))).toBeGreaterThanOrEqual(k / 2);
      // a rewired edge lands back inside the lattice band with probability < k/n
      const moved = edges(g).filter(([i, j]) => !isRing(i, j)).length;
      expect(Math.abs(moved - beta * m)).toBeLessThan(4 * Math.sqrt(m * beta * (1 - beta)) + (beta * m * k) / n);
    }
  });

  it('clustering falls with beta: Barrat–Weigt C(0)(1-beta)^3 at 0.2, near k/n at 1', () => {
    const c0 = (3 * (k - 2)) / (4 * (k - 1));
    const c2 = clustering(wattsStrogatz({ n, k, beta: 0.2 }, stream(3, 'ws')).csr);
    expect(Math.abs(c2 - c0 * 0.8 ** 3)).toBeLessThan(0.05); // approximation, not a sampling tolerance
    const c1 = clustering(wattsStrogatz({ n, k, beta: 1 }, stream(3, 'ws')).csr);
    expect(c1).toBeLessThan((2 * k) / n);
  });

  it('is deterministic per seed', () => {
    const a = wattsStrogatz({ n, k, beta: 0.3 }, stream(5, 'ws')).csr;
    expect(sameGraph(a, wattsStrogatz({ n, k, beta: 0.3 }, stream(5, 'ws')).csr)).toBe(true);
    expect(sameGraph(a, wattsStrogatz({ n, k, beta: 0.3 }, stream(6, 'ws')).csr)).toBe(false);
  });

  it('handles a dense ring (k = n - 1) and rejects bad parameters', () => {
    const g = wattsStrogatz({ n: 9, k: 8, beta: 1 }, stream(1)).csr;
    expect(edgeCount(g)).toBe(36);
    const rng = stream(1);
    expectUserError(() => wattsStrogatz({ n: 10, k: 3, beta: 0.1 }, rng), /watts-strogatz: k must be even/);
    expectUserError(() => wattsStrogatz({ n: 10, k: 10, beta: 0.1 }, rng), /watts-strogatz: k/);
    expectUserError(() => wattsStrogatz({ n: 10, k: 4, beta: -0.1 }, rng), /watts-strogatz: beta/);
    expectUserError(() => wattsStrogatz({ n: 2, k: 2, beta: 0 }, rng), /watts-strogatz: n/);
  });
});

describe('torus', () => {
  const dist = (side: number, i: number, j: number) => {
    const dx = Math.abs((i % side) - (j % side));
    const dy = Math.abs(Math.floor(i / side) - Math.floor(j / side));
    return Math.min(dx, side - dx) + Math.min(dy, side - dy);
  };
  /** Closed form P(d) ∝ 4d · d^-r over d = radius + 1 .. floor((side - 1) / 2). */
  const pDist = (side: number, radius: number, r: number) => {
    const p = new Map<number, number>();
    let z = 0;
    for (let d = radius + 1; d <= Math.floor((side - 1) / 2); d++) z += 4 * d ** (1 - r);
    for (let d = radius + 1; d <= Math.floor((side - 1) / 2); d++) p.set(d, (4 * d ** (1 - r)) / z);
    return p;
  };

  it('local edges: degree 2r(r+1), exactly the distance <= radius ball', () => {
    const side = 9;
    for (const radius of [1, 2, 4]) {
      const g = torus({ side, radius, longRangeMean: 0, exponent: 2, tail: 2 }, stream(1)).csr;
      checkCsr(g);
      expect(degrees(g).every((d) => d === 2 * radius * (radius + 1))).toBe(true);
      expect(edges(g).every(([i, j]) => dist(side, i, j) <= radius)).toBe(true);
    }
    const { x, y } = torusCoords(side);
    expect([x[10], y[10], x[80], y[80]]).toEqual([1, 1, 8, 8]);
  });

  it('mean degree ≈ local + 2·longRangeMean; long-range degree is heavy-tailed', () => {
    const side = 100;
    const n = side * side;
    const [mu, alpha] = [2, 2.5];
    const g = torus({ side, radius: 1, longRangeMean: mu, exponent: 2, tail: alpha }, stream(2, 'torus')).csr;
    checkCsr(g);
    // Var q_i = Var(scaled Pareto) + rounding (<= 1/4) = mu^2 / (alpha (alpha - 2)) + 1/4
    const sd = 2 * Math.sqrt((mu ** 2 / (alpha * (alpha - 2)) + 0.25) / n);
    // pairs that pick each other collapse into one edge: about (n/2) mu^2 sum_d P(d)^2 / N(d) of them
    let recip = 0;
    for (const [d, p] of pDist(side, 1, 2)) recip += (p * p) / (4 * d);
    const expected = 4 + 2 * mu - (2 * (mu * mu * recip)) / 2;
    const mean = (2 * edgeCount(g)) / n;
    expect(Math.abs(mean - expected)).toBeLessThan(4 * sd);
    // every node has its 4 local edges; the rest are long-range
    const longDeg = degrees(g).map((d) => d - 4);
    expect(Math.min(...longDeg)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...longDeg)).toBeGreaterThan(5 * (mean - 4));
  });

  it('long-range lengths follow P(d) ∝ 4d·d^-r and shorten as r grows', () => {
    const side = 100;
    const share = (r: number) => {
      const g = torus({ side, radius: 1, longRangeMean: 1, exponent: r, tail: 20 }, stream(3, 'torus', r)).csr;
      const long = edges(g)
        .map(([i, j]) => dist(side, i, j))
        .filter((d) => d > 1);
      expect(Math.max(...long)).toBeLessThanOrEqual(49);
      return { obs: long.filter((d) => d <= 3).length / long.length, m: long.length };
    };
    const theory = (r: number) => (pDist(side, 1, r).get(2) ?? 0) + (pDist(side, 1, r).get(3) ?? 0);
    const s2 = share(2);
    const s0 = share(0);
    for (const [s, r] of [
      [s2, 2],
      [s0, 0],
    ] as const) {
      const p = theory(r);
      // + 0.003: upper bound on the share lost to pairs picking each other (mostly short ones)
      expect(Math.abs(s.obs - p), `r = ${r}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / s.m) + 0.003);
    }
    expect(s2.obs).toBeGreaterThan(20 * s0.obs);
  });

  it('is deterministic per seed and rejects bad parameters', () => {
    const o = { side: 30, radius: 2, longRangeMean: 1.5, exponent: 2, tail: 1.5 };
    const a = torus(o, stream(4)).csr;
    expect(sameGraph(a, torus(o, stream(4)).csr)).toBe(true);
    expect(sameGraph(a, torus(o, stream(5)).csr)).toBe(false);
    const rng = stream(1);
    expectUserError(() => torus({ ...o, side: 2 }, rng), /torus: side/);
    expectUserError(() => torus({ ...o, radius: 15 }, rng), /torus: radius/);
    expectUserError(() => torus({ ...o, radius: 0 }, rng), /torus: radius/);
    expectUserError(() => torus({ ...o, side: 5, radius: 2 }, rng), /torus: radius must be < floor/);
    expectUserError(() => torus({ ...o, tail: 1 }, rng), /torus: tail must be a number > 1/);
    expectUserError(() => torus({ ...o, exponent: -1 }, rng), /torus: exponent/);
    expectUserError(() => torus({ ...o, longRangeMean: -1 }, rng), /torus: longRangeMean/);
  });
});

describe('barabasi-albert', () => {
  it('has (n - m)·m + C(m, 2) edges, min degree m, a heavy tail', () => {
    const [n, m] = [5000, 3];
    const g = barabasiAlbert({ n, m }, stream(1, 'ba')).csr;
    checkCsr(g);
    expect(edgeCount(g)).toBe((n - m) * m + (m * (m - 1)) / 2);
    const deg = degrees(g);
    expect(Math.min(...deg)).toBe(m);
    expect(Math.max(...deg)).toBeGreaterThan(10 * ((2 * edgeCount(g)) / n));
    // P(degree = d) -> 2m(m+1) / (d(d+1)(d+2)) (Bollobás et al.): 2/5 at d = 3, 1/5 at d = 4
    for (const [d, p] of [
      [3, 0.4],
      [4, 0.2],
    ] as const) {
      const share = deg.filter((x) => x === d).length / n;
      expect(Math.abs(share - p), `degree ${d}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
    // the seed plus node m form a clique
    for (let i = 0; i <= m; i++) for (let j = i + 1; j <= m; j++) expect(hasEdge(g, i, j)).toBe(true);
  });

  it('m = 1 gives a tree', () => {
    const g = barabasiAlbert({ n: 300, m: 1 }, stream(2, 'ba')).csr;
    checkCsr(g);
    expect(edgeCount(g)).toBe(299);
    const seen = new Uint8Array(300);
    const stack = [0];
    seen[0] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) if (!seen[g.nbrs[k]!]) ((seen[g.nbrs[k]!] = 1), stack.push(g.nbrs[k]!));
    }
    expect(seen.every((s) => s === 1)).toBe(true);
  });

  it('attaches preferentially: node 3 joins the degree-2 node with probability 1/2', () => {
    // m = 1: 0-1, node 2 attaches to x in {0, 1}; node 3 then sees degrees x: 2, other: 1, node 2: 1
    const reps = 4000;
    let hits = 0;
    for (let r = 0; r < reps; r++) {
      const g = barabasiAlbert({ n: 4, m: 1 }, stream(8, 'ba', r)).csr;
      const x = g.nbrs[g.offsets[2]!]!;
      if (hasEdge(g, 3, x) && x !== 3) hits++;
    }
    expect(Math.abs(hits / reps - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / reps));
  });

  it('is deterministic per seed and rejects bad parameters', () => {
    const a = barabasiAlbert({ n: 500, m: 2 }, stream(3)).csr;
    expect(sameGraph(a, barabasiAlbert({ n: 500, m: 2 }, stream(3)).csr)).toBe(true);
    expect(sameGraph(a, barabasiAlbert({ n: 500, m: 2 }, stream(4)).csr)).toBe(false);
    const rng = stream(1);
    expectUserError(() => barabasiAlbert({ n: 10, m: 0 }, rng), /barabasi-albert: m/);
    expectUserError(() => barabasiAlbert({ n: 10, m: 10 }, rng), /barabasi-albert: m must be an integer in \[1, 9\]/);
    expectUserError(() => barabasiAlbert({ n: 1.5, m: 1 }, rng), /barabasi-albert: n/);
  });
});
