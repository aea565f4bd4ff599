// spillover run --by-day R from the built CLI (npm test builds first):
// everything by day over the run's first R replications, printed, in the
// JSON as byDay and drawn in the report. Summed over the days, the per-day
// truth is the run's whole-horizon truth of the additive metric the daily
// series counts (group calls' primary, per 1k), and the user-level design's
// bias is the run's mean error. Refused on a model without days, with
// --shard and beyond the run's replications; without it the JSON has no byDay.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import { countItems } from '../helpers/svg.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-run-by-day-'));
const H = 9;
const R = 4;
const scenario = {
  name: 'by day',
  seed: 3,
  replications: R,
  graph: { generator: 'sbm', blocks: 6, blockSize: 50, pIn: 0.12, pOut: 0.002 },
  threads: { meanThreadsPerUser: 3 },
  model: { type: 'group-calls', horizon: H, startRate: 0.05, adoption: { hazard: 0.05, perExposure: 0.3 } },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'thread', name: 'thread', p: 0.5 },
  ],
  estimators: ['dm'],
};
const file = join(dir, 'calls.json');
writeFileSync(file, JSON.stringify(scenario));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'run', ...args], { encoding: 'utf8', cwd: root });
const PRIMARY = 'successful_group_calls_per_1k_users';

describe('spillover run --by-day', () => {
  const json = join(dir, 'results.json');
  const html = join(dir, 'report.html');
  const r = cli(file, '--by-day', String(R), '--workers', '1', '--json', json, '--report', html, '--quiet');

  it('prints the per-day table and the adoption curves after the results', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const at = r.stdout.indexOf(`how long to run: ${PRIMARY}'s numerator per user and day (unscaled), every design over ${R} replications`);
    expect(at).toBeGreaterThan(r.stdout.indexOf(`metric ${PRIMARY}:`));
    const table = r.stdout.slice(at);
    // one row per day: day, truth ± its SE, then bias and RMSE per design
    for (let d = 0; d < H; d++) expect(table).toMatch(new RegExp(`│ +${d} │ +[+-]?[\\d.e-]+ ±[\\d.e-]+ │`));
    expect(table).toMatch(
      /user \(user-bernoulli\): bias (stable from day \d+|not stable for 7 days by the last day), RMSE (stable|not stable)/,
    );
    expect(table).toMatch(/thread \(thread\): bias (stable|not stable)/);
    // 4 replications: flagged as the run's table flags rows on fewer than 30
    expect(table).toContain(`every design over ${R} replications † (those of spillover run)`);
    expect(table).toContain(
      `  † ${R} replications (fewer than 30): the truth, bias, RMSE, their Monte Carlo SEs and the stable days rest on ${R} replications: read them as rough`,
    );
    expect(table).toContain('adoption: share of users using the feature (adopted, not lapsed)');
    expect(table).toMatch(/│ user treatment arm +│/);
    expect(table).toMatch(/│ all treated\* +│/);
  });

  it("writes byDay to the JSON; summed over the days the truth is the run's truth, and the user design's bias its mean error", () => {
    const j = JSON.parse(readFileSync(json, 'utf8'));
    const b = j.byDay;
    expect(b.replications).toBe(R);
    expect(b.horizon).toBe(H);
    expect(b.metric).toBe(PRIMARY);
    expect(b.truth).toHaveLength(H);
    expect(b.designs.map((g: { design: string }) => g.design)).toEqual(['user', 'thread']);
    expect(b.adoption.allTreated.share).toHaveLength(H);
    expect(b.designs[0].adoption.treatment.share).toHaveLength(H);
    // and the whole file is what schemas/results.json describes (byDay included)
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas/results.json'), 'utf8')) as object,
    );
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...j, byDay: { ...b, truth: 'x' } })).toBe(false);
    // --by-day R = --reps: the same replications as the run's diagnosis; its primary is per 1k users, the days unscaled
    const row = j.diagnosis.find((d: { design: string; metric: string }) => d.design === 'user' && d.metric === PRIMARY);
    expect(row.undefinedShare).toBe(0);
    const truth = row.truth / 1000;
    const summed = b.truth.reduce((a: number, x: number) => a + x, 0);
    expect(Math.abs(truth)).toBeGreaterThan(1e-3);
    // daily values are float32: 1e-6 relative
    expect(Math.abs(summed - truth)).toBeLessThan(1e-6 * Math.abs(truth) + 1e-9);
    const bias = b.designs[0].bias.reduce((a: number, x: number) => a + x, 0);
    expect(Math.abs(bias - row.bias / 1000)).toBeLessThan(1e-6 * Math.abs(truth) + 1e-9);
  });

  it('draws bias and RMSE by day per design and the adoption curves in the report', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2 id="by-day">How long to run</h2>');
    for (const id of ['by-day-bias', 'by-day-rmse', 'by-day-adoption']) {
      const m = new RegExp(`<figure id="${id}">(<svg.*?</svg>)`, 's').exec(page);
      expect(m, id).not.toBeNull();
      const svg = m![1]!;
      if (id === 'by-day-adoption') {
        // two arms per design and the truth's two worlds
        expect(countItems(svg, 'line mark')).toBe(2 * 2 + 2);
      } else {
        // a line and a ±2 MC SE band per design
        expect(countItems(svg, 'line mark')).toBe(2);
        expect(countItems(svg, 'area mark')).toBe(2);
      }
    }
    // the stable days, per design, as in the JSON
    const b = JSON.parse(readFileSync(json, 'utf8')).byDay;
    const stable = (d: number | null) => (d === null ? 'not for 7 days by the last day' : `day ${d}`);
    for (const g of b.designs)
      expect(page).toContain(
        `<td>${g.design}</td><td>${g.type}</td><td>${R} †</td><td>${stable(g.biasStableFrom)}</td><td>${stable(g.rmseStableFrom)}</td>`,
      );
    expect(page).toContain(
      `<p class="note few-replications">† ${R} replications (fewer than 30): read the bias, RMSE, their bands and the stable days as rough.</p>`,
    );
  });

  it('leaves the JSON without byDay when not asked', () => {
    const plain = join(dir, 'plain.json');
    const q = cli(file, '--workers', '1', '--json', plain, '--quiet');
    expect(q.status).toBe(0);
    expect(q.stdout).not.toContain('how long to run');
    const j = JSON.parse(readFileSync(plain, 'utf8'));
    expect(Object.keys(j)).not.toContain('byDay');
    const withDays = JSON.parse(readFileSync(json, 'utf8'));
    delete withDays.byDay;
    expect(JSON.stringify(withDays)).toBe(JSON.stringify(j));
  });

  it('refuses a model without days, naming the option and why', () => {
    const q = cli('scenarios/default.json', '--by-day', '3', '--reps', '3', '--workers', '1');
    expect(q.status).toBe(2);
    expect(q.stderr).toContain('--by-day needs a product model (group-calls or group-stories)');
    expect(q.stderr).toContain('"linear-in-means" has no days');
  });

  it('refuses more replications than the run has, and --shard', () => {
    const more = cli(file, '--by-day', String(R + 1), '--workers', '1');
    expect(more.status).toBe(2);
    expect(more.stderr).toContain(`--by-day ${R + 1} is more than the run's ${R} replications`);
    const shard = cli(file, '--by-day', '2', '--shard', '0/2', '--out', join(dir, 'out'));
    expect(shard.status).toBe(2);
    expect(shard.stderr).toContain('--by-day with --shard');
    const one = cli(file, '--by-day', '1');
    expect(one.status).not.toBe(0);
    expect(one.stderr).toContain('--by-day must be an integer >= 2');
  });
});
