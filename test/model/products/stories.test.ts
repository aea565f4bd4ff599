// The group-stories metrics as the case defines them (per user over the
// experiment), and cannibalisation: a share of the public stories a user with
// the feature would post goes to the group instead.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario.js';
import { buildGraph } from '../../../src/sim/build-graph.js';
import { model, world } from './_helpers.js';

const spec = {
  seed: 4,
  graph: { generator: 'sbm', blocks: 6, blockSize: 100, pIn: 0.08, pOut: 0.002 },
  threads: { meanThreadsPerUser: 3 },
  designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
};
const H = 28;

describe('group-stories metrics, per user over the experiment', () => {
  const m0 = { type: 'group-stories', horizon: H, groupPostRate: 0.02, publicPostRate: 0.03, muteIntercept: -1 };
  const graph = buildGraph(parseScenario({ ...spec, model: m0 }));
  const n = graph.csr.n;
  const m = model(graph, m0);
  for (const on of [false, true]) {
    const w = world(m, n, on, 3);
    it(`story_posters is 1 exactly for users with a day with a story post (${on ? 'all' : 'no one'} treated)`, () => {
      const posters = w.value('story_posters');
      const days = w.value('story_post_days');
      let some = 0;
      for (let i = 0; i < n; i++) {
        expect(posters[i]).toBe(days[i]! > 0 ? 1 : 0);
        const d = days[i]! * H;
        expect(Math.abs(d - Math.round(d))).toBeLessThan(1e-9);
        // at most one group and one public story a day
        expect(w.value('group_story_posts')[i]! + w.value('public_story_posts')[i]!).toBeLessThanOrEqual(2 * Math.round(d));
        expect(w.value('group_story_posts')[i]! + w.value('public_story_posts')[i]!).toBeGreaterThanOrEqual(Math.round(d));
        some += posters[i]!;
      }
      expect(some).toBeGreaterThan(0);
      expect(some).toBeLessThan(n);
    });
    it(`group_mute_rate is a 0/1 per user, 0 for users in no group (${on ? 'all' : 'no one'} treated)`, () => {
      const mute = w.value('group_mute_rate');
      let muters = 0;
      for (let i = 0; i < n; i++) {
        expect([0, 1]).toContain(mute[i]);
        if (graph.threads!.userOffsets[i + 1] === graph.threads!.userOffsets[i]) expect(mute[i]).toBe(0);
        muters += mute[i]!;
      }
      // no one mutes a group story no one posts
      if (!on) expect(muters).toBe(0);
      else expect(muters).toBeGreaterThan(0);
    });
  }
});

describe('cannibalisation moves public stories into groups', () => {
  // no group stories of their own, no mutes and no remembered experiences: a user is active on the
  // same days in both worlds and would post a public story on the same days, so every public story
  // the treated world lacks is a group story there
  const c = 0.4;
  const m0 = {
    type: 'group-stories',
    horizon: H,
    groupPostRate: 0,
    publicPostRate: 0.1,
    cannibalisation: c,
    muteIntercept: -60,
    retentionUp: 0,
  };
  const graph = buildGraph(parseScenario({ ...spec, model: m0 }));
  const n = graph.csr.n;
  const m = model(graph, m0);
  const th = graph.threads!;
  it('per user: public stories without the feature = public + group stories with it; users in no group are unchanged', () => {
    let moved = 0;
    let base = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const w0 = world(m, n, false, seed);
      const w1 = world(m, n, true, seed);
      for (let i = 0; i < n; i++) {
        const p0 = w0.value('public_story_posts')[i]!;
        const p1 = w1.value('public_story_posts')[i]!;
        const g1 = w1.value('group_story_posts')[i]!;
        expect(w0.value('group_story_posts')[i]).toBe(0);
        expect(p1 + g1).toBe(p0);
        if (th.userOffsets[i + 1] === th.userOffsets[i]) expect(g1).toBe(0);
        else ((moved += g1), (base += p0));
      }
    }
    // each public story of a user with groups moves with probability c: a binomial share
    const se = Math.sqrt((c * (1 - c)) / base);
    expect(base).toBeGreaterThan(1000);
    expect(Math.abs(moved / base - c)).toBeLessThan(4 * se);
  });
});
