// Growing: Promise.all over a list that grows while awaited. Its first
// rejection must end the wait at once (a set-up task's user error while
// another thread still works) and no later rejection may go unhandled
// (that crashed `spillover variance --metric clicks` with exit code 1).
import { describe, expect, it } from 'vitest';
import { Growing } from '../../src/sim/growing.js';

const later = <T>(ms: number, v: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(v) : resolve(v)), ms));

describe('Growing', () => {
  it('waits for promises added while it waits', async () => {
    const g = new Growing();
    const seen: number[] = [];
    g.add(
      later(20, 1).then((v) => {
        seen.push(v);
        g.add(later(20, 2).then((w) => seen.push(w)));
      }),
    );
    await g.all();
    expect(seen).toEqual([1, 2]);
  });

  it('rejects with the first rejection at once, before earlier promises settle, and leaves none unhandled', async () => {
    const unhandled: unknown[] = [];
    const on = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', on);
    try {
      const g = new Growing();
      g.add(later(2000, 'slow'));
      g.add(later(10, new Error('first'), true));
      g.add(later(50, new Error('second'), true));
      const t0 = performance.now();
      await expect(g.all()).rejects.toThrow('first');
      expect(performance.now() - t0).toBeLessThan(1500); // not the slow one's 2 s
      await later(2100, null); // let the others settle
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', on);
    }
  });
});
