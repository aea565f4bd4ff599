// Invariants of the group-calls model: tie strength from friend pairs, the
// participant cap, and substitution that shrinks counts without making them
// negative.
import { describe, expect, it } from 'vitest';
import { friendPairShare } from '../../../src/model/products/traits.js';
import { outcomeBuffers } from '../../../src/model/index.js';
import { stream } from '../../../src/random/streams.js';
import { clique, graphWith, model, world } from './_helpers.js';

describe('tie strength', () => {
  it('is the share of member pairs who are friends', () => {
    const g = graphWith(
      8,
      [
        [0, 1],
        [0, 2],
        [1, 2],
        [3, 4],
        [6, 7],
      ],
      [
        [0, 1, 2, 3],
        [4, 5, 6],
        [0, 1, 2],
      ],
    );
    expect(Array.from(friendPairShare(g.csr, g.threads!))).toEqual([0.5, 0, 1]);
  });
});

describe('participant cap', () => {
  // a 30-member clique group where everyone always joins, cap 4
  const users = Array.from({ length: 30 }, (_, i) => i);
  const g = graphWith(34, clique(users), [users, [30, 31, 32, 33], [0, 30, 31]]);
  const m = model(g, { type: 'group-calls', horizon: 20, cap: 4, startRate: 0.5, joinIntercept: 50, inactiveJoin: 1 });
  const out = outcomeBuffers(m, 34);
  const ex = m.readout(
    m.draw((p) => stream(2, p)),
    { dose: new Float64Array(34).fill(1), threadOn: null },
    out.num,
    out.den,
  );
  it('is never exceeded, and binds', () => {
    const P = Array.from(ex.participants!);
    expect(P.length).toBeGreaterThan(20);
    expect(Math.max(...P)).toBe(4);
  });
  it('participants per successful call stays within 3..cap', () => {
    const k = m.metrics.findIndex((x) => x.name === 'participants_per_successful_call');
    const v = out.num[k]!.reduce((s, x) => s + x, 0) / out.den[k]!.reduce((s, x) => s + x, 0);
    expect(v).toBeGreaterThanOrEqual(3);
    expect(v).toBeLessThanOrEqual(4);
  });
});

describe('substitution', () => {
  // feedback off, so activity is the same whatever the calls: only substitution differs
  const users = Array.from({ length: 12 }, (_, i) => i);
  const g = graphWith(12, clique(users), [users.slice(0, 6), users.slice(6), users.slice(3, 9)]);
  const base = { type: 'group-calls', horizon: 14, startRate: 0.3, retentionUp: 0, retentionDown: 0, messageRate: 20, oneToOneRate: 2 };
  const at = (substitution: number) => world(model(g, { ...base, substitution }), 12, true, 3);
  const none = at(0);
  for (const s of [0.5, 1]) {
    it(`at ${s} never makes a count negative and never adds`, () => {
      const w = at(s);
      const msgs = w.value('messages');
      const calls = w.value('one_to_one_call_minutes');
      for (let i = 0; i < 12; i++) {
        expect(msgs[i]!).toBeGreaterThanOrEqual(0);
        expect(calls[i]!).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(Math.round(msgs[i]! * 14 * 1e6) / 1e6)).toBe(true); // whole messages over the horizon
        expect(msgs[i]!).toBeLessThanOrEqual(none.value('messages')[i]!);
        expect(calls[i]!).toBeLessThanOrEqual(none.value('one_to_one_call_minutes')[i]!);
      }
    });
  }
  it('removes some communication when group calls happen', () => {
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    expect(sum(at(1).value('messages'))).toBeLessThan(sum(none.value('messages')));
  });
});
