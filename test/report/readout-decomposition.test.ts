// The readout's decomposition of the daily truth into contagion and novelty
// (docs/products.md, Adoption): truth = contagion + novelty + neither, with
// contagion = truth − truth without contagion and novelty = that − truth
// without contagion and novelty. Checked: each re-simulated truth is the
// truth a readout of the scenario with that switch reads (same draw); the
// parts sum to the truth (to rounding of the three subtractions); with
// contagion off in the scenario the contagion part is exactly 0, with
// novelty 0 the novelty part is exactly 0, and each part is not 0 otherwise;
// without adoption there is no decomposition; the text shows it.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/sim/plan.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { readout, type Readout } from '../../src/report/readout.js';
import { formatReadout } from '../../src/report/readout-text.js';

const H = 14;
const rule = { minLift: 0.02, warmup: 3, topShare: 0.1 };

function read(model: Record<string, unknown>): Readout {
  const plan = buildPlan(
    parseScenario({
      seed: 5,
      graph: { generator: 'sbm', blocks: 4, blockSize: 100, pIn: 0.08, pOut: 0.002 },
      threads: { meanThreadsPerUser: 3 },
      model,
      designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
      estimators: ['dm'],
    }),
  );
  return readout(plan, rule);
}

const adoption = { hazard: 0.03, perExposure: 0.3 };
describe.each([
  ['group-calls', { type: 'group-calls', horizon: H, startRate: 0.03, novelty: 2 }],
  ['group-stories', { type: 'group-stories', horizon: H, groupPostRate: 0.05, novelty: 2 }],
])('%s: readout decomposition', (_, base) => {
  const full = read({ ...base, adoption });
  const dc = full.decomposition!;

  it('each re-simulated truth is the readout truth of the scenario with that switch; the parts sum to the truth', () => {
    const noContagion = read({ ...base, adoption: { ...adoption, contagion: false } });
    const neither = read({ ...base, novelty: 0, adoption: { ...adoption, contagion: false } });
    expect(dc.days).toHaveLength(H);
    dc.days.forEach((x, d) => {
      expect(x.truth).toBe(full.novelty.truthByDay[d]!.diff);
      expect(x.noContagion).toBe(noContagion.novelty.truthByDay[d]!.diff);
      expect(x.neither).toBe(neither.novelty.truthByDay[d]!.diff);
      expect(x.bias).toBe(full.novelty.biasByDay[d]);
      expect(x.contagion).toBe(x.truth - x.noContagion);
      expect(x.novelty).toBe(x.noContagion - x.neither);
      const scale = Math.abs(x.truth) + Math.abs(x.noContagion) + Math.abs(x.neither);
      expect(Math.abs(x.contagion + x.novelty + x.neither - x.truth)).toBeLessThanOrEqual(4 * Number.EPSILON * scale);
    });
    // both parts move somewhere (so the zero checks below can fail)
    expect(dc.days.some((x) => x.contagion !== 0)).toBe(true);
    expect(dc.days.some((x) => x.novelty !== 0)).toBe(true);
  });

  it('contagion off in the scenario: the contagion part is exactly 0 every day, the novelty part is not', () => {
    const r = read({ ...base, adoption: { ...adoption, contagion: false } }).decomposition!;
    expect(r.days.every((x) => x.contagion === 0)).toBe(true);
    expect(r.days.some((x) => x.novelty !== 0)).toBe(true);
  });

  it('novelty 0: the novelty part is exactly 0 every day, the contagion part is not', () => {
    const r = read({ ...base, novelty: 0, adoption }).decomposition!;
    expect(r.days.every((x) => x.novelty === 0)).toBe(true);
    expect(r.days.some((x) => x.contagion !== 0)).toBe(true);
  });

  it('no adoption: no decomposition; the text shows one row per day with adoption (horizon 14)', () => {
    expect(read(base).decomposition).toBeNull();
    const text = formatReadout(full);
    expect(text).toContain('novelty and contagion told apart');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('no contagion*') && l.includes('neither*'));
    expect(at).toBeGreaterThan(0);
    // header, rule, then one row per day (14 days: every day)
    const rows = lines.slice(at + 2, at + 2 + H).map((l) => l.split('│')[1]!.trim());
    expect(rows).toEqual(Array.from({ length: H }, (_, d) => String(d)));
  });
});
