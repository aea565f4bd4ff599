// The design frontier (issue 15): on a small graph at a fixed seed, the
// recommendation and the crossovers are recomputed here from the tidy CSV the
// sweep writes (parsed as text, not from the frontier's own structures), and
// without interference the user-level design is recommended, its RMSE below
// every cluster design's by more than 2 Monte Carlo SEs.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { sweepCsv, type SweepRow, type SweepValue } from '../../src/sim/sweep.js';
import { analyseFrontier, clusterAxis, frontierAxes, interferenceAxis, runFrontier, type Frontier } from '../../src/sim/frontier.js';
import { frontierCells, frontierLinesChart, frontierMapChart } from '../../src/report/charts/frontier.js';
import { frontierHtml } from '../../src/report/frontier.js';
import { formatFrontier } from '../../src/report/frontier-text.js';
import { toSvg } from '../../src/report/render.js';

const base = parseScenario({
  name: 'frontier-test',
  seed: 11,
  replications: 150,
  // 20 communities of 25; homophily makes outcomes correlate within communities, as friends' do
  graph: { generator: 'sbm', blocks: 20, blockSize: 25, pIn: 0.3, pOut: 0.001 },
  model: { type: 'linear-in-means', beta: 0.6, gamma: 0.5, sigma: 1, homophily: 0.5 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } },
  ],
  estimators: ['dm', 'cluster-dm', 'ht'],
});
const axes = frontierAxes(base, {
  interference: { path: 'model.gamma', values: [0, 0.15, 0.3, 0.6, 1] },
  clusters: { path: 'designs[1].clustering.resolution', values: [0.25, 1] },
});
const { rows, frontier } = await runFrontier(base, axes, (s) => runSerial(s).results);

// the CSV as a reader would see it: a header and comma-separated cells (no quoted cells in this grid)
const [header, ...lines] = sweepCsv(rows).trim().split('\n');
const cols = header!.split(',');
const table = lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [cols[i]!, c])));
const num = (c: string) => (c === '' ? null : Number(c));
const GAMMA = 'model.gamma';
const RES = 'designs[1].clustering.resolution';

describe('the frontier against its own CSV', () => {
  it('has a row per grid point x design x estimator, with the undefined share', () => {
    expect(table.length).toBe(5 * 2 * (2 + 3)); // user: dm, ht; louvain: dm, cluster-dm, ht
    expect(cols).toContain('undefined_share');
    expect(cols).toContain('power');
    expect(frontier.reference).toBe('user');
    expect(frontier.varied).toBe('louvain');
  });

  it('recommends, at each interference level, the lowest RMSE among rows with power >= 0.8 (undefined = no finding) and coverage >= 90%', () => {
    let recommended = 0;
    expect(frontier.coverageMin).toBe(0.9);
    for (const g of axes.interference.values) {
      const eligible = table.filter(
        (r) =>
          Number(r[GAMMA]) === g &&
          num(r.rmse!) !== null &&
          num(r.power!) !== null &&
          num(r.power!)! * (1 - Number(r.undefined_share)) >= 0.8 &&
          Number(r.coverage) >= 0.9,
      );
      const best = eligible.reduce<Record<string, string> | null>((b, r) => (b === null || Number(r.rmse) < Number(b.rmse) ? r : b), null);
      const rec = frontier.levels.find((l) => l.interference === g)!.recommended;
      if (best === null) {
        expect(rec).toBeNull();
        continue;
      }
      recommended++;
      expect(rec).not.toBeNull();
      expect([rec!.design, rec!.estimator]).toEqual([best.design, best.estimator]);
      expect(rec!.rmse).toBe(Number(best.rmse));
      if (rec!.design === 'louvain') expect(rec!.cluster).toBe(Number(best[RES]));
    }
    expect(recommended).toBeGreaterThanOrEqual(3);
  });

  it('reports the crossover where the rows put it: from the first gamma on which louvain stays below user', () => {
    const bestUsable = (rs: Record<string, string>[]) =>
      Math.min(...rs.filter((r) => r.rmse !== '' && Number(r.undefined_share) <= 0.05).map((r) => Number(r.rmse)));
    let inside = 0;
    for (const res of axes.clusters.values) {
      const pays = axes.interference.values.map((g) => {
        const here = table.filter((r) => Number(r[GAMMA]) === g && Number(r[RES]) === res);
        return bestUsable(here.filter((r) => r.design === 'louvain')) < bestUsable(here.filter((r) => r.design === 'user'));
      });
      const k = pays.lastIndexOf(false) + 1;
      const c = frontier.crossovers.find((x) => x.design === 'louvain' && x.cluster === res)!;
      expect(c.from).toBe(k < pays.length ? axes.interference.values[k] : null);
      expect(c.before).toBe(k > 0 && k < pays.length ? axes.interference.values[k - 1] : null);
      if (k > 0 && k < pays.length) inside++;
      // and the per-level list says the same
      axes.interference.values.forEach((g, i) => {
        const cmp = frontier.levels.find((l) => l.interference === g)!.comparisons.find((x) => x.cluster === res)!;
        expect(cmp.pays).toBe(pays[i]);
      });
    }
    // the grid brackets the crossover: it is found inside, not at an edge
    expect(inside).toBeGreaterThan(0);
  });

  it('without interference recommends user-level randomization, clearly below every cluster design in RMSE', () => {
    const at0 = frontier.levels.find((l) => l.interference === 0)!;
    expect(at0.recommended?.design).toBe('user');
    const user = rows.find((r) => r.point[GAMMA] === 0 && r.design === 'user' && r.estimator === at0.recommended!.estimator)!;
    for (const r of rows.filter((x) => x.point[GAMMA] === 0 && x.design === 'louvain' && x.rmse !== null)) {
      const se = Math.hypot(user.rmseSE!, r.rmseSE!);
      expect(r.rmse! - user.rmse!).toBeGreaterThan(2 * se);
    }
    // with a little interference, user-level randomization still has the lowest RMSE, but its intervals
    // undercover (biased): its power is no evidence, and the cluster design is recommended
    const weak = frontier.levels.find((l) => l.interference === 0.15)!;
    expect(weak.lowestRmse?.design).toBe('user');
    expect(weak.lowestRmse!.coverage!).toBeLessThan(0.9);
    expect(weak.recommended?.design).toBe('louvain');
    // and at the strongest interference, a cluster design is
    expect(frontier.levels.find((l) => l.interference === 1)!.recommended?.design).toBe('louvain');
  });
});

describe('crossovers at the edges of the grid (made-up rows)', () => {
  const made = (cluster: number[], user = [1, 1, 1], undefinedShare = 0): SweepRow[] =>
    [0, 1, 2].flatMap((g, i) =>
      (
        [
          ['user', user[i]!],
          ['louvain', cluster[i]!],
        ] as const
      ).map(([design, rmse]) => ({
        ...rows[0]!,
        design,
        estimator: 'dm',
        point: { [GAMMA]: g, [RES]: 1 },
        value: g,
        rmse,
        rmseSE: 0.01,
        undefinedShare: design === 'louvain' ? undefinedShare : 0,
      })),
    );
  const small = {
    interference: { ...axes.interference, values: [0, 1, 2] },
    clusters: { ...axes.clusters, values: [1] },
  };
  const cross = (rs: SweepRow[]) => analyseFrontier(rs, small, { reference: 'user', varied: 'louvain' }).crossovers[0]!;
  it('pays from the first value: from it, nothing before', () => {
    expect(cross(made([0.5, 0.5, 0.5]))).toMatchObject({ from: 0, before: null, clear: true });
  });
  it('pays, stops, pays again: from the last run of paying values', () => {
    expect(cross(made([0.5, 2, 0.5]))).toMatchObject({ from: 2, before: 1 });
  });
  it('does not pay at the last value: never', () => {
    expect(cross(made([0.5, 0.5, 2]))).toMatchObject({ from: null, before: null });
  });
  it('a cluster design undefined in more than 5% of replications is not compared', () => {
    expect(analyseFrontier(made([0.5, 0.5, 0.5], [1, 1, 1], 0.1), small, { reference: 'user', varied: 'louvain' }).crossovers).toEqual([]);
  });
  it('within 2 Monte Carlo SEs is not clear', () => {
    expect(cross(made([0.99, 0.99, 0.99]))).toMatchObject({ from: 0, clear: false });
  });
});

describe('default axes', () => {
  it("take the model's interference parameter and the first tunable clustering", () => {
    expect(interferenceAxis(base)).toMatchObject({ path: 'model.gamma', values: [0, 0.25, 0.5, 1] });
    expect(clusterAxis(base)).toMatchObject({ path: 'designs[1].clustering.resolution', values: [0.25, 0.5, 1, 2, 4], design: 1 });
    const net = parseScenario({
      ...base,
      model: { type: 'ugander-yin' },
      designs: [
        { type: 'user-bernoulli', p: 0.5 },
        { type: 'cluster', name: 'nets', p: 0.5, clustering: { method: 'net', radius: 3 } },
      ],
    });
    expect(interferenceAxis(net)).toMatchObject({ path: 'model.direct', values: [1, 0.75, 0.5, 0.25] });
    expect(clusterAxis(net)).toMatchObject({ path: 'designs[1].clustering.radius', values: [5, 4, 3, 2] });
  });
  it('refuse a scenario with no design whose number of clusters can change', () => {
    const flat = parseScenario({
      ...base,
      designs: [
        { type: 'user-bernoulli', p: 0.5 },
        { type: 'cluster', p: 0.5, clustering: { method: 'blocks' } },
      ],
    });
    expect(() => clusterAxis(flat)).toThrow(/no design whose number of clusters can be varied/);
    expect(() => frontierAxes(base, { clusters: { path: 'model.gamma', values: [1] } })).toThrow(/must be a path inside one design/);
  });
});

describe('names', () => {
  const tiny = { ...base, replications: 4 };
  const run = (s: typeof base) => runSerial(s).results;
  const small = frontierAxes(tiny, {
    interference: { path: 'model.gamma', values: [0, 1] },
    clusters: { path: 'designs[1].clustering.resolution', values: [1] },
  });
  it('--metric must be a metric of the model; the reading keeps only it', async () => {
    await expect(runFrontier(tiny, small, run, { metric: 'nope' })).rejects.toThrow(
      /--metric "nope" is not a metric of the model; metrics: y/,
    );
    const { frontier: f } = await runFrontier(tiny, small, run, { metric: 'y' });
    expect(f.metrics).toEqual(['y']);
  });
  it('--reference must name another design; without one, a design with one unit per user is needed', async () => {
    await expect(runFrontier(tiny, small, run, { reference: 'louvain' })).rejects.toThrow(/is the design the cluster axis varies/);
    await expect(runFrontier(tiny, small, run, { reference: 'nope' })).rejects.toThrow(/is not a design of the scenario/);
    const noUser = parseScenario({
      ...tiny,
      designs: [{ type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } }, base.designs[1]],
    });
    await expect(runFrontier(noUser, small, run)).rejects.toThrow(/no user-level design/);
  });
});

describe('the pictures', () => {
  const designs = ['user', 'louvain'];
  it('the map rings one cell per level where the cluster design is recommended', () => {
    const cells = frontierCells(frontier, rows, 'y');
    expect(cells.length).toBe(5 * 2);
    const ringed = frontier.levels.filter((l) => l.recommended?.design === 'louvain').length;
    expect(cells.filter((c) => c.recommended).length).toBe(ringed);
    // every cell's winner is the design with the lowest RMSE there
    const at = (g: SweepValue, res: SweepValue) => rows.filter((r) => r.point[GAMMA] === g && r.point[RES] === res && r.rmse !== null);
    for (const g of axes.interference.values)
      for (const res of axes.clusters.values) {
        const best = at(g, res).reduce((b, r) => (r.rmse! < b.rmse! ? r : b));
        const cell = cells.find((c) => c.interference === String(g) && String(c.cluster).startsWith(`${res} (`))!;
        expect(cell.winner).toBe(best.design);
      }
  });

  it('puts SD and RMSE on log axes and bias on a symmetric log axis, so HT does not flatten the others', async () => {
    const spec = frontierLinesChart(frontier, rows, 'y', designs) as unknown as {
      vconcat: { spec: { layer: { encoding?: { y?: { field: string; scale?: { type?: string } } } }[] } }[];
    };
    const scaleOf = (i: number) => spec.vconcat[i]!.spec.layer.find((l) => l.encoding?.y?.scale)!.encoding!.y!.scale!.type;
    expect([0, 1, 2, 3].map(scaleOf)).toEqual(['symlog', 'log', 'log', undefined]);
    // the HT rows really are orders of magnitude noisier here
    const sd = (d: string, e: string) => rows.find((r) => r.point[GAMMA] === 0 && r.design === d && r.estimator === e)!.sd!;
    expect(sd('user', 'ht') / sd('user', 'dm')).toBeGreaterThan(10);
    for (const s of [frontierMapChart(frontier, rows, 'y', designs), frontierLinesChart(frontier, rows, 'y', designs)])
      expect(await toSvg(s)).toMatch(/^<svg/);
  });

  it('the page and the text say the rule and the recommendation', async () => {
    const f: Frontier = frontier;
    const text = formatFrontier(f, 'head');
    expect(text).toContain('power is at least 0.8');
    const rec = f.levels.find((l) => l.interference === 0)!.recommended!;
    expect(text).toContain(`model.gamma = 0: recommended user · ${rec.estimator}`);
    const html = await frontierHtml(f, rows, 'frontier');
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    expect(html).toContain('undefined share');
    expect(html).toContain('class="crossovers"');
  }, 30_000);
});
