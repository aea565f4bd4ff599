// The product cases in the HTML report: one readout per design (the same
// experiment a team would run, see readout.ts), drawn as the primary metric's
// lift by day (novelty) with the true overall lift for reference, the
// readout tables, and the lesson (every design on the same simulated users
// against the truth, carried by the first design's readout).
import type { Scenario } from '../sim/parse-scenario.js';
import { buildGraph } from '../sim/build-graph.js';
import { buildPlan } from '../sim/plan.js';
import { isProductType } from '../model/index.js';
import { readout, type Readout, type ReadoutRule } from './readout.js';
import type { ReportExtras } from './report.js';

/** The product models (issue 4; flagged `product` in the model registry); others have no days or readout. */
export const isProductScenario = (s: Scenario) => isProductType(s.model.type);

export const DEFAULT_RULE: ReadoutRule = { minLift: 0.02, warmup: 7, topShare: 0.1 };

/**
 * One readout per design of a product scenario (one graph and one set of
 * clusterings, built once); the first also carries the lesson (every design
 * on the same users) when there are several designs. Null for other models.
 */
export function productReadouts(scenario: Scenario, rule = DEFAULT_RULE): Readout[] | null {
  if (!isProductScenario(scenario)) return null;
  const graph = buildGraph(scenario);
  const clusterings = new Map<string, { labels: Int32Array; count: number }>();
  return scenario.designs.map((d, k) =>
    k === 0 && scenario.designs.length > 1
      ? readout(buildPlan({ ...scenario, estimators: ['dm'] }, graph, clusterings), rule, { design: 0, compare: true })
      : readout(buildPlan({ ...scenario, designs: [d], estimators: ['dm'] }, graph, clusterings), rule),
  );
}

const pct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%` : '—');
const delta = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : '—');
/** null (shown —) for a level that is not a number */
const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function readoutExtras(readouts: readonly Readout[]): ReportExtras {
  if (readouts.length === 0) return {};
  const primary = readouts[0]!.rows.find((r) => r.role === 'primary')!;
  const points = readouts.flatMap((r) =>
    r.novelty.byDay.flatMap((c, day) =>
      Number.isFinite(c.rel) ? [{ series: r.design.name, day, lift: c.rel, lower: c.relLo, upper: c.relHi }] : [],
    ),
  );
  const readout = readouts.map((r) => ({
    title: `Readout of one experiment: ${r.design.name} randomization, seed ${r.seed}. Launch call: ${r.decision.launch ? 'launch' : 'do not launch'}.`,
    columns: ['metric', 'role', 'control', 'treatment', 'change', '95% CI', 'flag', 'true change'],
    rows: r.rows.map((m) => [
      m.name,
      m.role,
      finite(m.control),
      finite(m.treatment),
      // relative when the control level exists, else the absolute change (Δ), as in the terminal
      Number.isFinite(m.rel) ? pct(m.rel) : `Δ ${delta(m.diff)}`,
      Number.isFinite(m.relLo) ? `[${pct(m.relLo)}, ${pct(m.relHi)}]` : `Δ [${delta(m.lo)}, ${delta(m.hi)}]`,
      m.flag ?? '',
      pct(m.truthRel),
    ]),
  }));
  const lesson = readouts[0]!.lesson;
  if (lesson) {
    const hidden = lesson.hidden.length ? ` Harms the ${lesson.read} design hides: ${lesson.hidden.join(', ')}.` : '';
    readout.push({
      title: `The lesson: every design on the same simulated users (seed ${readouts[0]!.seed}) against the truth (all treated − all control); recovered = the design's difference / the true one.${hidden}`,
      columns: ['metric', 'role', 'true difference', 'true change', ...lesson.designs.flatMap((d) => [d.name, `${d.name} recovered`])],
      rows: lesson.rows.map((m) => [
        m.name,
        m.role,
        finite(m.truth),
        pct(m.truthRel),
        ...m.reads.flatMap((x) => [
          finite(x.diff),
          Number.isFinite(x.share) ? `${(100 * x.share).toFixed(0)}%${x.covers ? '' : ' †'}` : '—',
        ]),
      ]),
    });
  }
  return {
    byDay: [
      {
        metric: primary.name,
        relative: true,
        points,
        reference: Number.isFinite(primary.truthRel)
          ? { value: primary.truthRel, label: `true lift over all ${readouts[0]!.horizon} days` }
          : undefined,
      },
    ],
    readout,
  };
}

/** Readouts for the report: the product scenario's, computed; {} for other models. */
export function productExtras(scenario: Scenario, rule = DEFAULT_RULE): ReportExtras {
  const r = productReadouts(scenario, rule);
  return r ? readoutExtras(r) : {};
}
