// The estimator registry: one kind object per estimator module; the
// scenario's ids, the object form, the defaults and the factory come from it.
import { describe, expect, it } from 'vitest';
import {
  defaultEstimators,
  estimatorFromSpec,
  estimatorIds,
  estimatorKinds,
  estimatorObjectSchema,
  getEstimator,
  adjustedObjectSchema,
  polynomialObjectSchema,
} from '../../src/estimate/index.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';

const scenario = (estimators: unknown) => ({
  graph: { generator: 'sbm', blocks: 3, blockSize: 15, pIn: 0.4, pOut: 0.02 },
  model: { type: 'linear-in-means', beta: 1, gamma: 0.5 },
  designs: [{ type: 'user-bernoulli', p: 0.5 }],
  estimators,
});

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('estimator registry', () => {
  it('lists each estimator once; each kind names its estimator by its id', () => {
    const types = estimatorKinds.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    expect(estimatorIds).toEqual(types);
    for (const k of estimatorKinds) {
      expect(k.estimator.id).toBe(k.type);
      expect(getEstimator(k.type)).toBe(k.estimator);
    }
    expect(defaultEstimators).toEqual(estimatorKinds.filter((k) => k.byDefault).map((k) => k.type));
    expect(defaultEstimators).toEqual(['dm', 'cluster-dm', 'ht', 'hajek']);
  });

  it('a scenario accepts every registered id, and a scenario without estimators runs the defaults', () => {
    expect(parseScenario(scenario(estimatorIds)).estimators).toEqual(estimatorIds);
    expect(parseScenario(scenario(undefined)).estimators).toEqual(defaultEstimators);
  });

  it('an unknown id lists every registered one', () => {
    const m = message(() => parseScenario(scenario(['ols'])));
    expect(m).toContain('estimators[0]');
    for (const id of estimatorIds) expect(m).toContain(`"${id}"`);
  });

  it.each(estimatorKinds.map((k) => [k.type, k] as const))('%s: the object form exactly when the kind takes options', (type, kind) => {
    const entry = { estimator: type, exposure: { kind: 'fractional', q: 0.5 } };
    expect(estimatorObjectSchema.safeParse(entry).success).toBe(kind.withOptions !== undefined);
    if (kind.withOptions) {
      const [spec] = parseScenario(scenario([entry])).estimators;
      const e = estimatorFromSpec(spec!);
      expect(e.id).toBe(`${type}:q0.5`);
      expect(e.label).toBe(kind.withOptions({ mapping: { kind: 'fractional', q: 0.5 }, draws: 2000, batches: 20 }).label);
    } else if (
      !adjustedObjectSchema.shape.estimator.options.includes(type as never) &&
      !polynomialObjectSchema.safeParse({ estimator: type }).success
    ) {
      const m = message(() => parseScenario(scenario([entry])));
      expect(m).toContain('estimators[0].estimator');
      for (const k of estimatorKinds.filter((k) => k.withOptions)) expect(m).toContain(`"${k.type}"`);
    } else expect(message(() => parseScenario(scenario([entry])))).toContain('unknown key "exposure" (it belongs elsewhere');
  });

  it('lin, cuped, wild and cr2 take their own options (covariates, bootstrap), named by them', () => {
    const entries = [
      { estimator: 'lin', covariates: ['baseline', 'degree'] },
      { estimator: 'cuped', covariates: ['baseline'], name: 'cuped-pre' },
      { estimator: 'wild', resamples: 199, weights: 'webb' },
      { estimator: 'cr2' },
    ];
    const ids = parseScenario(scenario(entries)).estimators.map((e) => estimatorFromSpec(e).id);
    expect(ids).toEqual(['lin:baseline+degree', 'cuped-pre', 'wild:webb:199', 'cr2']);
    expect(message(() => parseScenario(scenario([{ estimator: 'lin' }])))).toContain('lin needs "covariates"');
    expect(message(() => parseScenario(scenario([{ estimator: 'cr2', covariates: ['degree'] }])))).toContain('cr2 takes no covariates');
    expect(message(() => parseScenario(scenario([{ estimator: 'lin', covariates: ['x'], resamples: 199 }])))).toContain(
      'only wild takes "resamples"',
    );
  });
});
