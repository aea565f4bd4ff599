// Group threads drawn inside a social graph. A thread starts at a creator,
// uniform among non-isolated users; its size comes from the small/large
// mixture; its other members are the creator's friends (a random subset, or
// all of them) and then, if still short, friends of friends reached by a
// random friend's random friend. Threads are added until the memberships
// reach meanThreadsPerUser · n, so truncated threads (the 2-hop
// neighbourhood was too small, or 8·need + 16 tries found too few) are
// compensated for by more threads. A thread needs >= 3 members; attempts
// that cannot reach 3 are discarded. Time is O(memberships + attempts).
import { threadsFromLists, type CSR, type Threads } from '../csr.js';
import type { Rng } from '../../random/streams.js';
import { UserError } from '../../errors.js';
import { checkRange, checkReal } from './_check.js';

export interface ThreadOptions {
  /** target mean number of threads per user (over all n users) */
  meanThreadsPerUser: number;
  /** inclusive size range of small threads, e.g. [3, 8] */
  smallSizes: [number, number];
  /** inclusive size range of large threads, e.g. [20, 50] */
  largeSizes: [number, number];
  /** probability that a thread's size is drawn from largeSizes */
  largeShare: number;
}

export interface ThreadSample {
  /** members of each thread, creator first */
  lists: number[][];
  creators: Uint32Array;
  /** the size each thread was drawn with; members < requested means truncated */
  requested: Uint32Array;
  /** 1 when the thread's size was drawn from largeSizes */
  large: Uint8Array;
  /** kept threads with fewer members than requested */
  truncated: number;
  /** discarded attempts that could not reach 3 members */
  failed: number;
}

/** Thread member lists with their creators and draw records (see threadOverlay). */
export function sampleThreads(csr: CSR, opts: ThreadOptions, rng: Rng): ThreadSample {
  const mean = checkReal('threads', 'meanThreadsPerUser', opts.meanThreadsPerUser, 0);
  const small = checkRange('threads', 'smallSizes', opts.smallSizes, 3);
  const large = checkRange('threads', 'largeSizes', opts.largeSizes, 3);
  const largeShare = checkReal('threads', 'largeShare', opts.largeShare, 0, 1);
  const { n, offsets, nbrs } = csr;
  const target = mean * n;
  const lists: number[][] = [];
  const creators: number[] = [];
  const requested: number[] = [];
  const isLarge: number[] = [];
  let truncated = 0;
  let failed = 0;
  const done = (): ThreadSample => ({
    lists,
    creators: Uint32Array.from(creators),
    requested: Uint32Array.from(requested),
    large: Uint8Array.from(isLarge),
    truncated,
    failed,
  });
  if (target === 0) return done();

  const pool: number[] = [];
  let hasHub = false;
  for (let i = 0; i < n; i++) {
    const d = offsets[i + 1]! - offsets[i]!;
    if (d > 0) pool.push(i);
    if (d >= 2) hasHub = true;
  }
  if (!hasHub) throw new UserError('threads: no user has 2 or more friends, so no thread of >= 3 members can form', 'EPARAM');
  const maxSize = Math.max(small[1], large[1]);
  const buf = new Uint32Array(maxSize);
  const row = new Uint32Array(2 * maxSize);
  const mark = new Int32Array(n).fill(-1);
  // a success rate under 1/50 means almost no user can start a thread; stop rather than spin
  const maxAttempts = Math.min(1000 + 50 * Math.ceil(target / 3), 2 ** 31 - 1);
  let total = 0;
  for (let attempt = 0; total < target; attempt++) {
    if (attempt >= maxAttempts) {
      throw new UserError(
        `threads: only ${lists.length} threads formed in ${attempt} attempts; too few users have friends to start one`,
        'EPARAM',
      );
    }
    const big = rng() < largeShare;
    const [lo, hi] = big ? large : small;
    const size = lo + Math.floor(rng() * (hi - lo + 1));
    const c = pool[Math.floor(rng() * pool.length)]!;
    const a = offsets[c]!;
    const d = offsets[c + 1]! - a;
    buf[0] = c;
    mark[c] = attempt;
    let len = 1;
    const need = size - 1;
    if (need >= d) {
      for (let k = 0; k < d; k++) mark[(buf[len++] = nbrs[a + k]!)] = attempt;
    } else if (2 * need <= d) {
      // few of many friends: rejection is cheap
      while (len < size) {
        const f = nbrs[a + Math.floor(rng() * d)]!;
        if (mark[f] !== attempt) mark[(buf[len++] = f)] = attempt;
      }
    } else {
      // most of a short row (d < 2·need): partial Fisher–Yates on a copy
      row.set(nbrs.subarray(a, a + d));
      for (let k = 0; k < need; k++) {
        const j = k + Math.floor(rng() * (d - k));
        const f = row[j]!;
        row[j] = row[k]!;
        mark[(buf[len++] = f)] = attempt;
      }
    }
    for (let tries = 8 * (size - len) + 16; len < size && tries > 0; tries--) {
      const f = nbrs[a + Math.floor(rng() * d)]!;
      const fa = offsets[f]!;
      const g = nbrs[fa + Math.floor(rng() * (offsets[f + 1]! - fa))]!;
      if (mark[g] !== attempt) mark[(buf[len++] = g)] = attempt;
    }
    if (len < 3) {
      failed++;
      continue;
    }
    if (len < size) truncated++;
    const list = new Array<number>(len); // plain arrays: cheaper than many small typed arrays
    for (let k = 0; k < len; k++) list[k] = buf[k]!;
    lists.push(list);
    creators.push(c);
    requested.push(size);
    isLarge.push(big ? 1 : 0);
    total += len;
  }
  return done();
}

/** Thread overlay on a social graph, as the bipartite Threads index. */
export function threadOverlay(csr: CSR, opts: ThreadOptions, rng: Rng, shared = false): Threads {
  return threadsFromLists(csr.n, sampleThreads(csr, opts, rng).lists, shared);
}
