// readout --days R's decomposition of the daily truth (daysByDesign with
// decompose): per replication, on that replication's draw, the truth's two
// worlds again without contagion and without contagion and novelty; per part
// and day the mean over the replications ± SD/√R. Checked: the averaged parts
// sum to the averaged truth (to rounding), the averaged truth is
// daysByDesign's truth exactly (and asking for the decomposition leaves the
// rest unchanged), the averaged no-contagion truth is the truth daysByDesign
// reads for the scenario with contagion off, and with contagion off the
// contagion part is exactly 0; weekly spans past 14 days, and the text.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/sim/plan.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { daysByDesign, PARTS } from '../../src/report/readout-days.js';
import { formatDaysDecomposition } from '../../src/report/readout-text.js';

const R = 4;
const adoption = { hazard: 0.03, perExposure: 0.3 };
const plan = (model: Record<string, unknown>) =>
  buildPlan(
    parseScenario({
      seed: 7,
      graph: { generator: 'sbm', blocks: 4, blockSize: 60, pIn: 0.1, pOut: 0.002 },
      threads: { meanThreadsPerUser: 3 },
      model,
      designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
      estimators: ['dm'],
    }),
  );

describe.each([
  ['group-calls', { type: 'group-calls', horizon: 16, startRate: 0.05, novelty: 2 }],
  ['group-stories', { type: 'group-stories', horizon: 10, groupPostRate: 0.05, novelty: 2 }],
])('%s: the decomposition over the replications', (_, base) => {
  const H = base.horizon;
  const full = daysByDesign(plan({ ...base, adoption }), R, { decompose: true });
  const dc = full.decomposition!;

  it("the averaged parts sum to the averaged truth, which is daysByDesign's truth exactly", () => {
    expect(dc.replications).toBe(R);
    for (const p of PARTS) expect(dc.days[p]).toHaveLength(H);
    for (let d = 0; d < H; d++) {
      const x = (p: (typeof PARTS)[number]) => dc.days[p][d]!.mean;
      expect(x('truth')).toBe(full.truth[d]);
      const scale = Math.abs(x('truth')) + Math.abs(x('noContagion')) + Math.abs(x('neither'));
      expect(Math.abs(x('contagion') + x('novelty') + x('neither') - x('truth'))).toBeLessThanOrEqual(1e-12 * scale + 1e-18);
      for (const p of PARTS) expect(dc.days[p][d]!.se).toBeGreaterThanOrEqual(0);
    }
    // the parts move (so the sums are not of zeros)
    expect(dc.days.contagion.some((x) => x.mean !== 0)).toBe(true);
    expect(dc.days.novelty.some((x) => x.mean !== 0)).toBe(true);
    // the spans: weekly past 14 days, else every day; their parts sum too
    expect(dc.spans.map((s) => [s.from, s.to])).toEqual(
      H > 14
        ? [
            [0, 7],
            [7, 14],
            [14, H],
          ]
        : Array.from({ length: H }, (_, d) => [d, d + 1]),
    );
    for (const s of dc.spans) {
      const scale = Math.abs(s.truth.mean) + Math.abs(s.noContagion.mean) + Math.abs(s.neither.mean);
      expect(Math.abs(s.contagion.mean + s.novelty.mean + s.neither.mean - s.truth.mean)).toBeLessThanOrEqual(1e-12 * scale + 1e-18);
    }
  });

  it("each span's design bias is the mean of that design's daily biases over the span (every replication defined), and the truth's SE is the daily one", () => {
    for (const s of dc.spans) {
      expect(s.bias.map((b) => b.design)).toEqual(full.designs.map((g) => g.design));
      s.bias.forEach((b, k) => {
        const g = full.designs[k]!;
        expect(g.replications).toBe(R);
        let m = 0;
        for (let d = s.from; d < s.to; d++) m += g.bias[d]! / (s.to - s.from);
        expect(Math.abs(b.mean - m)).toBeLessThanOrEqual(1e-12 * (Math.abs(m) + 1e-9));
        expect(b.se).toBeGreaterThan(0);
      });
    }
    // the days table's truth SE: SD/√R of the same per-replication daily truths the decomposition holds
    full.truthSe!.forEach((se, d) => expect(se).toBeCloseTo(dc.days.truth[d]!.se, 15));
  });

  it('asking for the decomposition changes nothing else', () => {
    const plain = daysByDesign(plan({ ...base, adoption }), R);
    expect(plain.decomposition).toBeUndefined();
    expect({ ...full, decomposition: undefined }).toEqual({ ...plain, decomposition: undefined });
  });

  it('the averaged truth without contagion is the truth of the scenario with contagion off (same draws); its contagion part is exactly 0', () => {
    const off = daysByDesign(plan({ ...base, adoption: { ...adoption, contagion: false } }), R, { decompose: true });
    off.truth.forEach((t, d) => expect(dc.days.noContagion[d]!.mean).toBeCloseTo(t, 15));
    const c = off.decomposition!;
    for (let d = 0; d < H; d++) {
      expect(c.days.contagion[d]!.mean).toBe(0);
      expect(c.days.contagion[d]!.se).toBe(0);
    }
    for (const s of c.spans) expect(s.contagion.mean).toBe(0);
    expect(c.days.novelty.some((x) => x.mean !== 0)).toBe(true);
  });

  it('the text: a row per span with mean ± SE, the replications flagged (fewer than 30)', () => {
    const text = formatDaysDecomposition(full);
    expect(text).toContain(`novelty and contagion told apart over ${R} replications †`);
    expect(text).toContain(H > 14 ? 'weekly means' : '');
    const rows = text.split('\n').filter((l) => /^│ +\d/.test(l));
    expect(rows).toHaveLength(dc.spans.length);
    // five parts and one bias column per design
    for (const l of rows) expect(l.match(/±/g)).toHaveLength(5 + full.designs.length);
    expect(text).toContain('truth = contagion + novelty + neither');
  });
});

it('without adoption there is no decomposition', () => {
  const d = daysByDesign(plan({ type: 'group-calls', horizon: 8, startRate: 0.05 }), 2, { decompose: true });
  expect(d.decomposition).toBeUndefined();
  expect(formatDaysDecomposition(d)).toBe('');
});
