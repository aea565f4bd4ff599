// No non-finite number ever reaches the table (issue 13): model parameters
// are bounded by the schema (the refusal names the field and the limit), and
// a model that overflows anyway (the schema bypassed) gives undefined
// estimates and diagnosands, each with its reason, never Infinity or NaN.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { diagnose } from '../../src/sim/summary.js';
import { formatResults } from '../../src/report/table.js';
import type { Row } from '../../src/sim/replicate.js';

const base = {
  name: 'overflow',
  seed: 3,
  replications: 4,
  graph: { generator: 'sbm', blocks: 4, blockSize: 20, pIn: 0.3, pOut: 0.02 },
  model: { type: 'linear-in-means', beta: 1, gamma: 1 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } },
  ],
};

describe('model parameters are bounded', () => {
  it.each([
    ['linear-in-means', 'beta', 1e200],
    ['linear-in-means', 'gamma', -1e200],
    ['linear-in-means', 'alpha', 1e308],
    ['linear-in-means', 'sigma', 1e308],
    ['ugander-yin', 'tau', 1e308],
    ['ugander-yin', 'sigma', 1e308],
    ['ugander-yin', 'a', 2e6],
    ['ugander-yin', 'b', -2e6],
  ])('%s %s = %d is refused naming the field and the limit', (type, field, value) => {
    const model = type === 'linear-in-means' ? { ...base.model, [field]: value } : { type, [field]: value };
    expect(() => parseScenario({ ...base, model })).toThrow(new RegExp(`model\\.${field}: must be between -?\\d+ and 1000000`));
  });

  it('the limit itself is accepted', () => {
    expect(parseScenario({ ...base, model: { ...base.model, beta: 1e6, sigma: 1e6 } }).model).toMatchObject({ beta: 1e6 });
  });
});

/** Every number written in the output is finite. */
function expectNoNonFinite(text: string) {
  expect(text).not.toMatch(/Infinity|NaN/);
}

describe('a model that overflows (schema bypassed) gives undefined with reasons', () => {
  it.each([1e200, 1e308])('beta = %d', (beta) => {
    const scenario = parseScenario(base);
    (scenario.model as { beta: number }).beta = beta; // past the schema, as a model that overflows would be
    const res = runSerial(scenario).results;
    const table = formatResults(res);
    expectNoNonFinite(table);
    expectNoNonFinite(JSON.stringify(res.diagnosis, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
    for (const d of res.diagnosis) {
      for (const k of ['truth', 'mean', 'bias', 'biasSE', 'sd', 'sdError', 'meanSE', 'rmse', 'coverage', 'power'] as const) {
        const v = d[k];
        expect(v === null || Number.isFinite(v)).toBe(true);
      }
    }
    // something overflowed, and the table says what and why
    expect(res.diagnosis.some((d) => d.undefinedDiagnosands || d.undefinedReasons.length > 0)).toBe(true);
    expect(table).toMatch(/undefined: /);
  });

  it('a non-finite truth makes the diagnosands computed from it undefined, with the reason', () => {
    const rows: Row[] = [0, 1, 2].map((rep) => ({
      rep,
      design: 'd',
      estimator: 'dm',
      metric: 'y',
      truth: rep === 1 ? Infinity : 1,
      estimate: 1,
      se: 0.5,
      df: null,
    }));
    const [d] = diagnose(rows);
    expect(d).toMatchObject({ truth: null, bias: null, biasSE: null, rmse: null, coverage: null, mean: 1, power: 1 });
    expect(d!.undefinedDiagnosands).toContainEqual({
      diagnosand: 'truth',
      reason: 'the true effect is not a finite number in some replication',
    });
    // as a replication file stores it: null
    const [fromFile] = diagnose(rows.map((r) => ({ ...r, truth: r.rep === 1 ? (null as unknown as number) : r.truth })));
    expect(fromFile!.truth).toBeNull();
  });

  it('sums that overflow are undefined with a reason', () => {
    const rows: Row[] = [0, 1, 2].map((rep) => ({
      rep,
      design: 'd',
      estimator: 'dm',
      metric: 'y',
      truth: 0,
      estimate: 1e308,
      se: 1e308,
      df: null,
    }));
    const [d] = diagnose(rows);
    expect(d!.truth).toBe(0);
    expect(d).toMatchObject({ mean: null, bias: null, rmse: null, meanSE: null });
    expect(d!.undefinedDiagnosands?.map((u) => u.diagnosand)).toEqual(expect.arrayContaining(['mean', 'bias', 'rmse', 'meanSE']));
    expect(d!.undefinedDiagnosands?.[0]!.reason).toBe('not a finite number (its sum overflows)');
  });
});
