// Invitation spillover biases user-level experiments toward zero.
//
// Group calls: a successful call counts 1/P for each of its P participants.
// Under user-level randomization with spillover on, (a) control users join
// calls their treated friends start from the thread, so the control arm
// collects calls it would not have without the feature, and (b) treated
// users' untreated friends cannot start calls from the thread, so the
// treated arm misses calls it would have had with everyone treated. Both
// pull the arms together: E[user-level DM] < true lift. Thread-level
// randomization gives all members of a thread one state, so (a) and (b)
// cannot cross arms; what is left travels between a user's threads (a good
// call in one makes them likelier to answer in another), which is small.
//
// Group stories: members without the feature still see treated members'
// group stories (at reduced visibility), so control users' DMs per view and
// mutes rise too, and user-level DM under-states both.
import { describe, expect, it } from 'vitest';
import { errorOf, monteCarlo } from './_helpers.js';

const base = {
  seed: 5,
  replications: 30,
  graph: { generator: 'sbm', blocks: 12, blockSize: 120, pIn: 0.07, pOut: 0.001 },
  threads: { meanThreadsPerUser: 3 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'thread', name: 'thread', p: 0.5 },
  ],
  estimators: ['dm'],
};

describe('group calls, invitation spillover on', () => {
  const rows = monteCarlo({ ...base, model: { type: 'group-calls', horizon: 14, spillover: true, startRate: 0.01 } });
  const m = 'successful_group_calls_per_1k_users';
  const user = errorOf(rows, 'user', m);
  const thread = errorOf(rows, 'thread', m);
  it('the feature adds successful calls', () => expect(user.truth).toBeGreaterThan(0));
  it('user-level difference in means under-states the true lift', () => {
    expect(user.bias + 4 * user.se).toBeLessThan(0);
    expect(-user.bias).toBeGreaterThan(0.3 * user.truth); // not a rounding error: a third of the lift or more
  });
  it('thread-level randomization removes most of that bias', () => {
    expect(Math.abs(thread.bias) + 2 * thread.se).toBeLessThan(0.5 * Math.abs(user.bias));
  });
});

describe('group stories, members without the feature see group stories', () => {
  const rows = monteCarlo({ ...base, replications: 20, model: { type: 'group-stories', horizon: 14, spillover: true } });
  for (const m of ['dms_per_story_view', 'group_mute_rate']) {
    it(`user-level difference in means under-states ${m}`, () => {
      const e = errorOf(rows, 'user', m);
      expect(e.truth).toBeGreaterThan(0);
      expect(e.bias + 4 * e.se).toBeLessThan(0);
    });
  }
});
