// The generator registry: one kind object per generator module, and the
// scenario's `graph` union and buildGraph's dispatch both come from it.
import { describe, expect, it } from 'vitest';
import { edgeCount } from '../../src/graph/csr.js';
import { generateGraph, generatorKinds, sbm, torus, type GeneratedGraphSpec } from '../../src/graph/generators/index.js';
import { graphSchema } from '../../src/graph/schema.js';
import { stream } from '../../src/random/streams.js';
import { buildGraph } from '../../src/sim/build-graph.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';

/** One small valid entry per generator: a new generator needs one here. */
const examples: Record<string, Record<string, unknown>> = {
  sbm: { generator: 'sbm', blocks: 3, blockSize: 20, pIn: 0.3, pOut: 0.02 },
  'watts-strogatz': { generator: 'watts-strogatz', n: 40, k: 4, beta: 0.1 },
  torus: { generator: 'torus', side: 6 },
  'barabasi-albert': { generator: 'barabasi-albert', n: 40, m: 2 },
};

const scenario = (graph: unknown) => ({
  graph,
  model: { type: 'linear-in-means', beta: 1, gamma: 1 },
  designs: [{ type: 'user-bernoulli', p: 0.5 }],
});
const union = (graphSchema as unknown as { out: { options: unknown[] } }).out;

describe('generator registry', () => {
  it('lists each generator once, with an example here', () => {
    const types = generatorKinds.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual(Object.keys(examples).sort());
  });

  it.each(generatorKinds.map((k) => [k.type, k] as const))('%s: its schema is the one the scenario validates with', (type, kind) => {
    expect(union.options).toContain(kind.schema);
    const spec = parseScenario(scenario(examples[type])).graph;
    expect(spec).toEqual(kind.schema.parse(examples[type]));
    expect(spec.generator).toBe(type);
    // an unknown key is refused by the kind's own strict schema, named by field
    expect(() => parseScenario(scenario({ ...examples[type], bogus: 1 }))).toThrow(/graph: unknown key "bogus"/);
  });

  it('the union is the generators plus "file", and an unknown generator lists every allowed one', () => {
    expect(union.options).toHaveLength(generatorKinds.length + 1);
    let message = '';
    try {
      parseScenario(scenario({ generator: 'erdos' }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('graph.generator');
    for (const k of generatorKinds) expect(message).toContain(`'${k.type}'`);
    expect(message).toContain(`'file'`);
  });

  it.each(generatorKinds.map((k) => [k.type, k] as const))('%s: buildGraph dispatches to the kind', (type, kind) => {
    const s = parseScenario({ ...scenario(examples[type]), seed: 5 });
    const built = buildGraph(s);
    const direct = kind.generate(s.graph as never, stream(5, 'graph'), false);
    expect(Array.from(built.csr.offsets)).toEqual(Array.from(direct.csr.offsets));
    expect(Array.from(built.csr.nbrs)).toEqual(Array.from(direct.csr.nbrs));
    expect(Object.keys(built.attributes ?? {})).toEqual(Object.keys(direct.attributes ?? {}));
    const viaIndex = generateGraph(s.graph as GeneratedGraphSpec, stream(5, 'graph'));
    expect(Array.from(viaIndex.csr.nbrs)).toEqual(Array.from(direct.csr.nbrs));
  });

  it('the kinds translate their entries as before: sbm blocks to sizes, torus with coordinates', () => {
    const s = parseScenario(scenario(examples['sbm']));
    const g = generateGraph(s.graph as GeneratedGraphSpec, stream(1));
    const ref = sbm({ sizes: [20, 20, 20], pIn: 0.3, pOut: 0.02 }, stream(1));
    expect(Array.from(g.csr.nbrs)).toEqual(Array.from(ref.csr.nbrs));
    expect(Array.from(g.blocks ?? [])).toEqual(Array.from(ref.blocks ?? []));
    const t = generateGraph(
      parseScenario(scenario({ generator: 'torus', side: 10, longRangeMean: 0 })).graph as GeneratedGraphSpec,
      stream(1),
    );
    expect(edgeCount(t.csr)).toBe(edgeCount(torus({ side: 10, radius: 1, longRangeMean: 0, exponent: 2, tail: 2.5 }, stream(1)).csr));
    expect(Object.keys(t.attributes ?? {}).sort()).toEqual(['x', 'y']);
  });
});
