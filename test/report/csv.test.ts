// The simulations table (run --csv, merge --csv): read back with a standard
// CSV parser, it holds every row of the run with the documented columns,
// exact numbers, and intervals and p-values that agree with the diagnosis.
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvField, diagnosisCsv, DIAGNOSIS_COLUMNS, SIMULATION_COLUMNS, simulationsCsv } from '../../src/report/csv.js';
import { smallRun } from '../helpers/small-run.js';

const num = (s: string) => (s === 'NA' ? null : Number(s));

describe('simulations CSV', () => {
  const { rows, results } = smallRun();
  const text = simulationsCsv(rows, results.scenario.alpha);
  const table = parse(text, { columns: true }) as Record<string, string>[];

  it('has the documented columns and one line per row, in replication order', () => {
    expect(Object.keys(table[0]!)).toEqual([...SIMULATION_COLUMNS]);
    expect(table).toHaveLength(rows.length);
    const reps = table.map((t) => Number(t['sim_id']));
    expect(reps).toEqual([...reps].sort((a, b) => a - b));
  });

  it('gives back exactly the numbers of the rows', () => {
    const key = (d: string, e: string, m: string, r: number) => `${r}/${d}/${e}/${m}`;
    const byKey = new Map(rows.map((r) => [key(r.design, r.estimator, r.metric, r.rep), r]));
    for (const t of table) {
      const r = byKey.get(key(t['design']!, t['estimator']!, t['metric']!, Number(t['sim_id'])))!;
      expect(num(t['estimate']!)).toBe(r.estimate);
      expect(num(t['std_error']!)).toBe(r.se);
      expect(num(t['df']!)).toBe(r.df);
      expect(num(t['estimand']!)).toBe(r.truth);
      expect(t['defined']).toBe(r.estimate !== null ? 'TRUE' : 'FALSE');
      expect(t['reason']).toBe(r.reason ?? 'NA');
    }
  });

  it('intervals and p-values agree with the diagnosis: coverage and power recomputed from the CSV', () => {
    for (const d of results.diagnosis) {
      const g = table.filter((t) => t['design'] === d.design && t['estimator'] === d.estimator && t['metric'] === d.metric);
      const withSE = g.filter((t) => t['conf_low'] !== 'NA');
      if (withSE.length === 0) continue;
      const covered = withSE.filter(
        (t) => Number(t['conf_low']) <= Number(t['estimand']) && Number(t['estimand']) <= Number(t['conf_high']),
      );
      expect(covered.length / withSE.length).toBeCloseTo(d.coverage!, 12);
      const rejected = withSE.filter((t) => Number(t['conf_low']) > 0 || Number(t['conf_high']) < 0);
      expect(withSE.filter((t) => t['p_value'] !== 'NA' && Number(t['p_value']) < results.scenario.alpha).length).toBe(rejected.length);
      expect(rejected.length / withSE.length).toBeCloseTo(d.power!, 12);
    }
  });

  it("an estimator's own interval (null = unbounded) and a test's own p-value", () => {
    const base = { rep: 0, design: 'd', estimator: 'wild', metric: 'y', truth: 1, estimate: 0.5, se: null, df: null };
    const t = parse(
      simulationsCsv(
        [
          { ...base, lower: null, upper: 2 },
          { ...base, estimator: 'aei', se: 0.1, nullP: 0.03 },
        ],
        0.05,
      ),
      {
        columns: true,
      },
    ) as Record<string, string>[];
    expect([t[0]!['conf_low'], t[0]!['conf_high'], t[0]!['p_value']]).toEqual(['-Inf', '2', 'NA']);
    expect(t[1]!['p_value']).toBe('0.03');
  });

  it('quotes what needs quoting', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('NA')).toBe('"NA"');
    expect(csvField(null)).toBe('NA');
    expect(csvField(NaN)).toBe('NA');
    expect(csvField(-Infinity)).toBe('-Inf');
    expect(csvField(1e-300)).toBe('1e-300');
    const back = parse(['x,y\n', `${csvField('a,"b"\nc')},${csvField(0.1 + 0.2)}\n`].join(''), { columns: true }) as Record<
      string,
      string
    >[];
    expect(back).toEqual([{ x: 'a,"b"\nc', y: String(0.1 + 0.2) }]);
  });
});

describe('diagnosis CSV', () => {
  it('one line per diagnosis with every diagnosand and its Monte Carlo SE', () => {
    const { results } = smallRun();
    const table = parse(diagnosisCsv(results.diagnosis), { columns: true }) as Record<string, string>[];
    expect(Object.keys(table[0]!)).toEqual([...DIAGNOSIS_COLUMNS]);
    expect(table).toHaveLength(results.diagnosis.length);
    results.diagnosis.forEach((d, i) => {
      expect(num(table[i]!['rmse_se']!)).toBe(d.rmseSE);
      expect(num(table[i]!['bias']!)).toBe(d.bias);
      expect(num(table[i]!['power_se']!)).toBe(d.powerSE);
    });
  });
});

describe('p-values', () => {
  it('two-sided, under the normal and Student t (values from R: 2 * pnorm(-t), 2 * pt(-t, df))', async () => {
    const { pValue } = await import('../../src/estimate/stats.js');
    expect(pValue(1.959963984540054, 1, Infinity)).toBeCloseTo(0.05, 12);
    expect(pValue(-1, 1, Infinity)).toBeCloseTo(0.3173105078629141, 12);
    expect(Math.abs(pValue(10, 1, Infinity) / 1.523970604832105e-23 - 1)).toBeLessThan(1e-9);
    expect(pValue(2.228138851986274, 1, 10)).toBeCloseTo(0.05, 12);
    expect(pValue(0.5, 1, 3)).toBeCloseTo(0.6514479648481509, 10);
    expect(pValue(3, 1, 30)).toBeCloseTo(0.005389964065651977, 12);
    expect(pValue(1, 0, Infinity)).toBeNaN();
  });
});

describe('docs/data.md', () => {
  it('documents every column of the simulations table, in order, and every Monte Carlo SE field', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/data.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## The simulations table'), doc.indexOf('## The diagnosis'));
    const documented = [...section.matchAll(/^\| `([a-z_]+)`(?:, `([a-z_]+)`)? \|/gm)].flatMap((m) => m.slice(1).filter(Boolean));
    expect(documented).toEqual([...SIMULATION_COLUMNS]);
    for (const f of ['meanEstimateSE', 'biasSE', 'sdSE', 'rmseSE', 'meanSESE', 'coverageSE', 'powerSE']) expect(doc).toContain(`\`${f}\``);
  });
});
