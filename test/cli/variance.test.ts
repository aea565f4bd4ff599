// spillover variance, run as a user runs it (the built CLI): the table, the
// JSON it writes, the curve over K with its SVG chart, the note when
// outcomes are redrawn every replication, and user mistakes reported in one
// line without a stack. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcement } from '../../src/report/write.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { varianceTable } from '../../src/sim/variance.js';

const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-variance-'));
const scenario = {
  name: 'small torus',
  seed: 4,
  replications: 10,
  graph: { generator: 'torus', side: 10, radius: 1, longRangeMean: 0.5 },
  model: { type: 'ugander-yin', tau: 1 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'cluster', name: '3-net', p: 0.5, clustering: { method: 'net', radius: 3 } },
    { type: 'mixture', name: 'mix 3', p: 0.5, clustering: { method: 'net', radius: 3 }, k: 3 },
    { type: 'rgcr', name: 'rgcr', p: 0.5, clustering: { method: 'one-hop-max' } },
  ],
  estimators: ['ht', { estimator: 'ht', exposure: { kind: 'fractional', q: 0.75 } }],
};

function cli(args: string[], s: unknown = scenario) {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(s));
  const r = spawnSync(process.execPath, [bin, 'variance', file, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function expectUserError(r: ReturnType<typeof cli>, ...needles: string[]) {
  expect(r.code).toBe(2);
  for (const s of needles) expect(r.err).toContain(s);
  expect(r.err).not.toMatch(/^\s+at /m);
  expect(r.out).toBe('');
}

describe('spillover variance', () => {
  it('prints every design and exposure, writes the same as JSON, and never NaN', () => {
    const json = join(dir, 'out.json');
    const r = cli(['--draws', '30', '--json', json]);
    expect(r.err).toBe(announcement(json));
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/NaN|Infinity/);
    for (const d of ['user', '3-net', 'mix 3', 'rgcr']) expect(r.out).toContain(`│ ${d} `);
    const t = JSON.parse(readFileSync(json, 'utf8'));
    expect(t.metric).toBe('y');
    expect(t.fixedOutcomes).toBe(true);
    expect(t.rows.length).toBe(8);
    const row = (d: string, e: string) => t.rows.find((x: { design: string; exposure: string }) => x.design === d && x.exposure === e);
    // fixed designs: exact, with Aronow–Samii conservative on average
    for (const d of ['user', '3-net']) {
      expect(row(d, 'full').variance).toBeGreaterThan(0);
      expect(row(d, 'full').varianceSE).toBe(0);
      expect(row(d, 'full').conservative).toBeGreaterThanOrEqual(1);
      expect(row(d, 'full').mean).toBeCloseTo(t.truth, 9);
    }
    // the table shows the JSON's numbers
    expect(r.out).toMatch(new RegExp(`│ 3-net +│ full +│ [^│]+│ ${Number(row('3-net', 'full').variance.toPrecision(4))}`));
    // RGCR: Monte Carlo over 30 fresh clusterings, with an SE
    expect(row('rgcr', 'full').clusterings).toBe(30);
    expect(row('rgcr', 'full').varianceSE).toBeGreaterThan(0);
    // a mixture is exact over its 3 clusterings
    expect(row('mix 3', 'full').varianceSE).toBe(0);
    // fractional under random clusterings: said, not computed
    expect(row('rgcr', 'fractional q=0.75').variance).toBeNull();
    expect(r.out).toContain('undefined: fractional');
    expect(r.out).toContain('covers all-or-none exposure only');
    // under a fractional threshold the observed outcomes are not the potential outcomes: said
    expect(r.out).toMatch(/3-net, fractional q=0\.75: under replication 0's assignment \d+ of \d+ users/);
    expect(r.out).not.toMatch(/3-net, full: under replication 0's assignment/);
  });

  it('--workers 1 and 2 give the same bytes, those of the table computed in one thread', () => {
    // 8 (design, exposure) tasks and a skipped design, spread over the threads
    const s = {
      ...scenario,
      designs: [...scenario.designs, { type: 'saveski', name: 'arms', p: 0.5, clustering: { method: 'net', radius: 2 } }],
    };
    const json = (w: number) => join(dir, `workers-${w}.json`);
    const runs = [1, 2].map((w) => cli(['--draws', '30', '--curve', '1,2,3', '--workers', String(w), '--json', json(w), '--quiet'], s));
    for (const r of runs) expect(r.code, r.err).toBe(0);
    expect(runs[1]!.out).toBe(runs[0]!.out);
    expect(readFileSync(json(2), 'utf8')).toBe(readFileSync(json(1), 'utf8'));
    expect(runs[0]!.out).toContain('arms: not analysed');
    const inProcess = varianceTable(parseScenario(s), { draws: 30, ks: [1, 2, 3] });
    expect(JSON.stringify(inProcess, null, 2) + '\n').toBe(readFileSync(json(1), 'utf8'));
  });

  it('--curve and --chart: the variance against K with the RGCR limit, drawn as SVG', () => {
    const svg = join(dir, 'curve.svg');
    const r = cli(['--design', 'mix 3', '--curve', '1,2,3,6', '--draws', '30', '--chart', svg]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('mix 3: mixture of the first K 3-net clusterings (p = 0.5), full exposure');
    for (const k of [1, 2, 3, 6]) expect(r.out).toMatch(new RegExp(`│ ${k} +│ \\d`));
    expect(r.out).toMatch(/RGCR limit \(K → ∞, a fresh 3-net every draw\): [\d.]+ ±[\d.]+ \(30 fresh clusterings\)/);
    expect(r.out).not.toMatch(/NaN|Infinity/);
    expect(existsSync(svg)).toBe(true);
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text.split('aria-roledescription="point"').length - 1).toBe(4);
  });

  it('says when the outcomes are redrawn every replication', () => {
    const r = cli(['--design', '3-net'], { ...scenario, model: { type: 'linear-in-means', beta: 1, gamma: 0.5, sigma: 1 } });
    expect(r.code).toBe(0);
    expect(r.out).toContain('variances are conditional on replication 0');
    const fixed = cli(['--design', '3-net'], { ...scenario, model: { type: 'linear-in-means', beta: 1, gamma: 0.5, sigma: 0 } });
    expect(fixed.out).not.toContain('conditional on replication 0');
  });

  it('user mistakes', () => {
    expectUserError(cli(['--curve', '1,x']), '--curve must be a comma-separated list of positive integers');
    expectUserError(cli(['--curve', '1,2'], { ...scenario, designs: scenario.designs.slice(0, 2) }), 'no mixture design');
    expectUserError(cli(['--metric', 'clicks']), 'metric "clicks" not in the model', 'y');
    expectUserError(cli(['--design', 'nope']), 'no design named "nope"', '3-net');
    expectUserError(cli(['--draws', '1']), '--draws must be an integer >= 2');
  });
});

describe('spillover run --exact', () => {
  const file = join(dir, 'exact.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...scenario,
      replications: 40,
      estimators: ['ht', 'hajek', { estimator: 'ht', name: 'ht q', exposure: { kind: 'fractional', q: 0.75 } }],
    }),
  );
  const run = (workers: string) =>
    spawnSync(
      process.execPath,
      [bin, 'run', file, '--exact', '--exact-draws', '40', '--quiet', '--workers', workers, '--json', join(dir, `exact-${workers}.json`)],
      { encoding: 'utf8' },
    );
  const one = run('1');
  const two = run('2');
  it("puts each HT row's exact SD next to its simulated SD, the same for any number of workers", () => {
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toContain('exact SD');
    expect(two.stdout).toBe(one.stdout);
    const res = JSON.parse(readFileSync(join(dir, 'exact-1.json'), 'utf8'));
    const exact = res.exact as { design: string; estimator: string; sd: number | null; sdSE: number | null }[];
    // every ht row of every design, none for hajek
    expect(
      exact
        .filter((e) => e.estimator === 'ht')
        .map((e) => e.design)
        .sort(),
    ).toEqual(['3-net', 'mix 3', 'rgcr', 'user']);
    expect(exact.some((e) => e.estimator === 'hajek')).toBe(false);
    // the same numbers as spillover variance gives
    const v = spawnSync(process.execPath, [bin, 'variance', file, '--draws', '40', '--json', join(dir, 'exact-v.json')], {
      encoding: 'utf8',
    });
    expect(v.status, v.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(join(dir, 'exact-v.json'), 'utf8')).rows as {
      design: string;
      exposure: string;
      sd: number | null;
    }[];
    for (const e of exact.filter((x) => x.estimator === 'ht'))
      expect(e.sd).toBe(rows.find((r) => r.design === e.design && r.exposure === 'full')!.sd);
    // fixed designs are exact, RGCR carries a Monte Carlo SE
    expect(exact.find((e) => e.design === '3-net' && e.estimator === 'ht')!.sdSE).toBe(0);
    expect(exact.find((e) => e.design === 'rgcr' && e.estimator === 'ht')!.sdSE).toBeGreaterThan(0);
    // fractional exposure under a random clustering has no exact variance: said, not a number
    expect(exact.find((e) => e.design === 'rgcr' && e.estimator === 'ht q')!.sd).toBeNull();
    expect(one.stdout).toMatch(/rgcr ht q: exact SD undefined: /);
  });
});
