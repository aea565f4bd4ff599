// Design names in a scenario: each design's default name is the one the
// registry gives it, and two designs may never share a name (their streams
// and their rows in the summary are keyed by it).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { UserError } from '../../src/errors.js';

const base = { graph: { generator: 'torus', side: 10 }, model: { type: 'linear-in-means', beta: 1, gamma: 1 } };

describe('design names', () => {
  it('unnamed designs of one type but different clusterings get distinct names', () => {
    expect(() =>
      parseScenario({
        ...base,
        designs: [
          { type: 'rgcr', p: 0.5, clustering: { method: 'net', radius: 3 } },
          { type: 'rgcr', p: 0.5, clustering: { method: 'one-hop-max' } },
        ],
      }),
    ).not.toThrow();
  });
  it('a name given explicitly that equals another design default name is refused', () => {
    const designs = [
      { type: 'rgcr', p: 0.5, clustering: { method: 'net', radius: 3 } },
      { type: 'rgcr', name: 'rgcr:net', p: 0.5, clustering: { method: 'one-hop-max' } },
    ];
    expect(() => parseScenario({ ...base, designs })).toThrow(UserError);
    expect(() => parseScenario({ ...base, designs })).toThrow(/designs\[1\].*"rgcr:net" is used twice/);
  });
});

describe('unknown keys', () => {
  it('a typo gets a "did you mean", an unrelated key does not', () => {
    const s = {
      name: 'typo',
      seed: 1,
      replications: 4,
      graph: { generator: 'sbm', blocks: 4, blockSize: 10, pIn: 0.3, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1, gamme: 2 },
      designs: [{ type: 'user-bernoulli', name: 'u', p: 0.5 }],
      estimators: ['dm'],
      desings: [],
      zzzqqq: 1,
    };
    let message = '';
    try {
      parseScenario(s);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('model: unknown key "gamme" (did you mean "gamma"?)');
    expect(message).toContain('(top level): unknown key "desings" (did you mean "designs"?)');
    expect(message).toMatch(/unknown key "zzzqqq"\n|unknown key "zzzqqq"$/);
  });
});

describe('$schema', () => {
  it('a scenario file may name its JSON Schema for editors', () => {
    const s = parseScenario({
      $schema: '../schemas/scenario.json',
      graph: { generator: 'sbm', blocks: 2, blockSize: 10, pIn: 0.3, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1 },
      designs: [{ type: 'user-bernoulli', name: 'u', p: 0.5 }],
    });
    expect(s.designs.length).toBe(1);
  });
});
