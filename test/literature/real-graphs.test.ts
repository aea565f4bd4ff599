// Scenarios on the shipped real networks: graph files instead of generators,
// label and covariate files, largest component, zero-as-missing attributes,
// and attribute clusters that give unlabelled users a cluster of their own.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../src/sim/scenario.js';
import { buildGraph } from '../../src/sim/build-graph.js';
import { buildPlan } from '../../src/sim/plan.js';
import { clusterLabels } from '../../src/design/cluster.js';
import { stream } from '../../src/random/streams.js';
import { createModel } from '../../src/model/index.js';
import { UserError } from '../../src/errors.js';
import { schemeOf } from '../helpers/designs.js';

const model = { type: 'linear-in-means', beta: 1, gamma: 1 };
const designs = [{ type: 'user-bernoulli', p: 0.5 }];
const scenario = (graph: unknown) => parseScenario({ graph, model, designs });

describe('graph files in scenarios', () => {
  it('SNAP ego-Facebook: 4,039 users and 88,234 friendships', () => {
    const g = buildGraph(scenario({ file: 'data/facebook_combined.txt' }));
    expect(g.csr.n).toBe(4039);
    expect(g.csr.offsets[g.csr.n]! / 2).toBe(88234);
  });

  it('email-Eu-core (\\r\\r\\n, directed) with departments: the largest component keeps 986, all labelled', () => {
    const g = buildGraph(
      scenario({
        file: 'data/email-Eu-core.txt',
        directed: true,
        largestComponent: true,
        labels: { path: 'data/email-Eu-core-department-labels.txt', name: 'dept' },
      }),
    );
    expect(g.csr.n).toBe(986);
    expect(g.attributes!['dept']!.every((x) => Number.isInteger(x))).toBe(true);
  });

  it('Caltech36: dorm with 0 read as missing; each unhoused student is a cluster of one', () => {
    const g = buildGraph(scenario({ file: 'data/Caltech36.gml', largestComponent: true, missingZero: ['dorm'] }));
    const dorm = g.attributes!['dorm']!;
    const missing = dorm.filter((x) => Number.isNaN(x)).length;
    expect(g.csr.n).toBe(762);
    expect(missing).toBeGreaterThan(100);
    const { count } = clusterLabels({ graph: g, rng: (p) => stream(1, p) }, { method: 'attribute', attribute: 'dorm' }, 'dorm');
    expect(count).toBe(8 + missing); // Caltech has 8 dorms
  });

  it('a covariate table becomes node attributes a model can use; a short table is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spillover-'));
    const edges = join(dir, 'g.txt');
    writeFileSync(edges, '# tiny\na b\nb c\nc d\n');
    const cov = join(dir, 'cov.txt');
    writeFileSync(cov, 'id h e\na 1 0\nb -1 0.5\nc 0.5 -0.5\nd 0 1\n');
    const g = buildGraph(scenario({ file: edges, covariates: cov }));
    expect(Array.from(g.attributes!['h']!)).toEqual([1, -1, 0.5, 0]);
    const m = createModel(
      { graph: g },
      { type: 'ugander-yin', a: 1, b: 1, sigma: 1, tau: 1, homophily: 'h', noise: 'e', direct: 0.5, curvature: 1, seed: 0 },
    );
    const y = new Float64Array(4);
    m.outcomes(null, { dose: new Float64Array(4), threadOn: null }, [y], []);
    expect(y[0]).toBeCloseTo((1 + 1 + 0) * (1 / 1.5), 12); // degree 1, mean degree 1.5
    writeFileSync(cov, 'id h e\na 1 0\n');
    expect(() => buildGraph(scenario({ file: edges, covariates: cov }))).toThrow(/no row|have none/);
  });

  it('labels with gaps give NaN, and NaN users become singleton clusters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spillover-'));
    const edges = join(dir, 'g.txt');
    writeFileSync(edges, '1\t2\r\r\n2\t3\r\r\n3\t4\r\r\n4\t1\r\r\n');
    const labels = join(dir, 'l.txt');
    writeFileSync(labels, '1 0\n2 0\n');
    const g = buildGraph(scenario({ file: edges, labels: { path: labels, name: 'team' } }));
    expect(Number.isNaN(g.attributes!['team']![2]!)).toBe(true);
    const { labels: l, count } = clusterLabels({ graph: g, rng: (p) => stream(1, p) }, { method: 'attribute', attribute: 'team' }, 'team');
    expect(count).toBe(3);
    expect(l[0]).toBe(l[1]);
    expect(new Set(l).size).toBe(3);
  });

  it('a malformed graph file is rejected naming its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spillover-'));
    const edges = join(dir, 'bad.txt');
    writeFileSync(edges, '1 2\r\r\n2 3 x\r\r\n');
    expect(() => buildGraph(scenario({ file: edges }))).toThrow(UserError);
    expect(() => buildGraph(scenario({ file: edges }))).toThrow(/line 2/);
  });
});

describe('shipped scenarios', () => {
  const files = readdirSync('scenarios').filter((f) => f.endsWith('.json'));
  for (const f of files) {
    it(`${f} is a valid scenario`, () => {
      expect(() => loadScenario(join('scenarios', f))).not.toThrow();
    });
  }
  it('caltech-dorms plans on the real graph (dorm clusters, paired dorms, Saveski arms)', () => {
    const s = loadScenario('scenarios/caltech-dorms.json');
    const plan = buildPlan({ ...s, estimators: ['dm', 'saveski'] });
    expect(plan.graph.csr.n).toBe(762);
    expect(plan.designs.map((d) => d.design.type)).toEqual(['user-complete', 'cluster', 'cluster', 'cluster', 'saveski']);
    const paired = schemeOf(plan.designs[2]!.design);
    expect(paired.kind).toBe('paired');
  });
});
