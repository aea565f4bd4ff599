// Thread overlay: structure, 2-hop membership, calibration of the mixture.
import { describe, expect, it } from 'vitest';
import { csrFromEdges, EdgeBuffer, type CSR, type Threads } from '../../../src/graph/csr.js';
import { stream } from '../../../src/random/streams.js';
import { UserError } from '../../../src/errors.js';
import {
  barabasiAlbert,
  sampleThreads,
  sbm,
  threadOverlay,
  wattsStrogatz,
  type ThreadOptions,
  type ThreadSample,
} from '../../../src/graph/generators/index.js';

const opts: ThreadOptions = { meanThreadsPerUser: 4, smallSizes: [3, 8], largeSizes: [20, 50], largeShare: 0.15 };

function neighbours(g: CSR, i: number): Set<number> {
  return new Set(g.nbrs.subarray(g.offsets[i]!, g.offsets[i + 1]!));
}

/** Every sample invariant that holds for any graph. */
function checkSample(g: CSR, s: ThreadSample, o: ThreadOptions): void {
  let truncated = 0;
  let total = 0;
  s.lists.forEach((list, t) => {
    const fail = (why: string) => {
      throw new Error(`thread ${t} [${list.join(', ')}]: ${why}`);
    };
    if (list.length < 3) fail('fewer than 3 members');
    if (new Set(list).size !== list.length) fail('repeated member');
    if (list[0] !== s.creators[t]) fail(`creator ${s.creators[t]} is not first`);
    const friends = neighbours(g, list[0]!);
    const twoHop = new Set(friends);
    for (const f of friends) for (const u of neighbours(g, f)) twoHop.add(u);
    for (const u of list.slice(1)) if (!twoHop.has(u)) fail(`${u} is not within 2 hops of the creator`);
    const [lo, hi] = s.large[t] ? o.largeSizes : o.smallSizes;
    const want = s.requested[t]!;
    if (want < lo || want > hi) fail(`requested size ${want} outside [${lo}, ${hi}]`);
    if (list.length > want) fail(`more members than the requested ${want}`);
    if (list.length < want) truncated++;
    total += list.length;
  });
  expect(truncated).toBe(s.truncated);
  // threads are added until memberships reach mean · n; the last one overshoots by < its size
  const target = o.meanThreadsPerUser * g.n;
  expect(total).toBeGreaterThanOrEqual(target);
  expect(total - target).toBeLessThan(Math.max(o.smallSizes[1], o.largeSizes[1]));
}

/** userThreads is exactly the transpose of members, both sorted. */
function checkTranspose(n: number, th: Threads): void {
  const increasing = (a: Uint32Array, offsets: Uint32Array, rows: number) => {
    for (let r = 0; r < rows; r++) for (let k = offsets[r]! + 1; k < offsets[r + 1]!; k++) if (a[k]! <= a[k - 1]!) return false;
    return true;
  };
  expect(increasing(th.members, th.offsets, th.count)).toBe(true);
  expect(increasing(th.userThreads, th.userOffsets, n)).toBe(true);
  const pairs = new Set<number>();
  for (let t = 0; t < th.count; t++) {
    for (let k = th.offsets[t]!; k < th.offsets[t + 1]!; k++) pairs.add(th.members[k]! * th.count + t);
  }
  let found = 0;
  for (let u = 0; u < n; u++) {
    for (let k = th.userOffsets[u]!; k < th.userOffsets[u + 1]!; k++) if (pairs.has(u * th.count + th.userThreads[k]!)) found++;
  }
  expect(th.userOffsets[n]).toBe(pairs.size);
  expect(found).toBe(pairs.size);
}

describe('threads', () => {
  const g = sbm({ sizes: Array(10).fill(200), pIn: 0.05, pOut: 0.001 }, stream(1, 'g')).csr;
  const s = sampleThreads(g, opts, stream(1, 'threads'));

  it('forms valid threads inside 2-hop neighbourhoods, sizes from the mixture', () => {
    checkSample(g, s, opts);
    expect(s.failed).toBe(0);
  });

  it('large share ≈ largeShare within 4 SD', () => {
    const k = s.lists.length;
    const share = s.large.reduce((a, x) => a + x, 0) / k;
    expect(Math.abs(share - opts.largeShare)).toBeLessThan(4 * Math.sqrt((opts.largeShare * (1 - opts.largeShare)) / k));
    // mean memberships per user: mean size = 0.85·5.5 + 0.15·35 = 9.925, so about n·4 / 9.925 threads
    expect(Math.abs(k - (g.n * 4) / 9.925)).toBeLessThan(0.1 * k);
  });

  it('threadOverlay gives the same threads as a bipartite index, transposed exactly', () => {
    const th = threadOverlay(g, opts, stream(1, 'threads'));
    expect(th.count).toBe(s.lists.length);
    const lists = Array.from({ length: th.count }, (_, t) => Array.from(th.members.subarray(th.offsets[t]!, th.offsets[t + 1]!)));
    expect(lists).toEqual(s.lists.map((l) => [...l].sort((a, b) => a - b)));
    checkTranspose(g.n, th);
    expect(th.userOffsets[g.n]! / g.n).toBeGreaterThanOrEqual(opts.meanThreadsPerUser);
    expect(threadOverlay(g, opts, stream(1, 'threads'), true).members.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('is deterministic per seed', () => {
    const again = sampleThreads(g, opts, stream(1, 'threads'));
    expect(again.lists).toEqual(s.lists);
    expect(sampleThreads(g, opts, stream(2, 'threads')).lists).not.toEqual(s.lists);
  });

  it('counts truncated threads and compensates for them on a sparse tree', () => {
    const tree = barabasiAlbert({ n: 2000, m: 1 }, stream(2, 'g')).csr;
    const o: ThreadOptions = { ...opts, largeShare: 0.5 };
    const t = sampleThreads(tree, o, stream(3, 'threads'));
    checkSample(tree, t, o);
    expect(t.truncated).toBeGreaterThan(0);
  });

  it('skips isolated users and discards attempts that cannot reach 3 members', () => {
    // 200 isolated users, 400 users in 200 separate pairs, a 1000-user ring with k = 4
    const ring = wattsStrogatz({ n: 1000, k: 4, beta: 0 }, stream(1)).csr;
    const e = new EdgeBuffer();
    for (let p = 0; p < 200; p++) e.push(200 + 2 * p, 201 + 2 * p);
    for (let i = 0; i < 1000; i++) {
      for (let k = ring.offsets[i]!; k < ring.offsets[i + 1]!; k++) e.push(600 + i, 600 + ring.nbrs[k]!);
    }
    const h = csrFromEdges(1600, e.src, e.dst, e.length).csr;
    const o: ThreadOptions = { ...opts, meanThreadsPerUser: 2 };
    const t = sampleThreads(h, o, stream(4, 'threads'));
    checkSample(h, t, o);
    expect(t.failed).toBeGreaterThan(0);
    expect(t.lists.every((l) => l.every((u) => u >= 600))).toBe(true);
    // creators are uniform over the 1400 non-isolated users, 400 of whom always fail
    const attempts = t.lists.length + t.failed;
    const p = 400 / 1400;
    expect(Math.abs(t.failed - attempts * p)).toBeLessThan(4 * Math.sqrt(attempts * p * (1 - p)));
  });

  it('returns no threads for meanThreadsPerUser = 0', () => {
    expect(threadOverlay(g, { ...opts, meanThreadsPerUser: 0 }, stream(1)).count).toBe(0);
  });

  it('rejects bad parameters and graphs where no thread can form', () => {
    const rng = stream(1);
    const bad = (o: Partial<ThreadOptions>, re: RegExp) => {
      const f = () => sampleThreads(g, { ...opts, ...o }, rng);
      expect(f).toThrow(UserError);
      expect(f).toThrow(re);
    };
    bad({ meanThreadsPerUser: -1 }, /threads: meanThreadsPerUser/);
    bad({ smallSizes: [2, 5] }, /threads: smallSizes/);
    bad({ largeSizes: [30, 20] }, /threads: largeSizes/);
    bad({ largeShare: 1.5 }, /threads: largeShare must be a number in \[0, 1\]/);
    const pairs = csrFromEdges(4, [0, 2], [1, 3]).csr;
    expect(() => sampleThreads(pairs, opts, rng)).toThrow(/threads: no user has 2 or more friends/);
    // one path 0-1-2 among 1000 separate pairs: 3 in 2003 creators can succeed (limit: 1 in 50)
    const src = [0, 1];
    const dst = [1, 2];
    for (let p = 0; p < 1000; p++) (src.push(3 + 2 * p), dst.push(4 + 2 * p));
    const sparse = csrFromEdges(2003, src, dst).csr;
    const f = () => sampleThreads(sparse, { ...opts, meanThreadsPerUser: 0.5 }, rng);
    expect(f).toThrow(/threads: only \d+ threads formed in \d+ attempts/);
  });
});
