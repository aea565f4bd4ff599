// Covariate tables are matched to nodes by node id, never by the loaders'
// internal numbering (first appearance in the file). Expected values are
// written out by hand per original id; nodes are found through graph.ids.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import type { SocialGraph } from '../../../src/graph/csr.js';
import { largestComponent, parseCovariates, parseEdgeList } from '../../../src/graph/load/index.js';
import { parseScenario } from '../../../src/sim/scenario.js';
import { buildGraph } from '../../../src/sim/build-graph.js';

// Ids appear out of order: internal numbers are 5->0, 2->1, 10->2, 0->3, 7->4, 3->5.
// Components: the cycle {5, 2, 10, 0} and the edge {7, 3}. "10" sorts before
// "2" as a string, so only a numeric order puts the rows right.
const EDGES = '5 2\n2 10\n10 0\n0 5\n7 3\n';
// rows in increasing id order 0, 2, 3, 5, 7, 10
const BY_ID_ORDER = 'v w\n100 -0\n102 -2\n103 -3\n105 -5\n107 -7\n110 -10\n';
// the value of v for each original id, by hand
const V: Record<string, number> = { '0': 100, '2': 102, '3': 103, '5': 105, '7': 107, '10': 110 };
const W: Record<string, number> = { '0': -0, '2': -2, '3': -3, '5': -5, '7': -7, '10': -10 };

/** Column `col` as original id -> value, read through the graph's own ids. */
function byId(ids: readonly string[], col: Float64Array): Record<string, number> {
  expect(col.length).toBe(ids.length);
  const out: Record<string, number> = {};
  ids.forEach((id, k) => (out[id] = col[k]!));
  return out;
}

const only = (keys: string[], m: Record<string, number>) => Object.fromEntries(keys.map((k) => [k, m[k]!]));

function thrown(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('covariates matched by node id (edge list with ids out of order)', () => {
  const g = parseEdgeList(EDGES);

  it('the internal numbering differs from the ids (the premise of these tests)', () => {
    expect(g.ids).toEqual(['5', '2', '10', '0', '7', '3']);
  });

  it('no id column: row k belongs to the node with the k-th smallest id', () => {
    const cols = parseCovariates(BY_ID_ORDER, g.ids);
    expect(byId(g.ids, cols.v!)).toEqual(V);
    expect(byId(g.ids, cols.w!)).toEqual(W);
  });

  it('an id column in shuffled order (any case, any position); the id column is no attribute', () => {
    const text = 'v ID w\n107 7 -7\n100 0 -0\n110 10 -10\n103 3 -3\n105 5 -5\n102 2 -2\n';
    const cols = parseCovariates(text, g.ids);
    expect(Object.keys(cols)).toEqual(['v', 'w']);
    expect(byId(g.ids, cols.v!)).toEqual(V);
    expect(byId(g.ids, cols.w!)).toEqual(W);
  });

  it('largestComponent: a table for the whole file (by order or by id) is matched, then restricted', () => {
    const { graph: lcc, kept } = largestComponent(g);
    expect(lcc.ids).toEqual(['5', '2', '10', '0']);
    const lccV = only(['0', '2', '5', '10'], V);
    expect(byId(lcc.ids!, parseCovariates(BY_ID_ORDER, g.ids, { keep: kept }).v!)).toEqual(lccV);
    const withId = 'id v\n3 103\n10 110\n7 107\n2 102\n0 100\n5 105\n';
    expect(byId(lcc.ids!, parseCovariates(withId, g.ids, { keep: kept }).v!)).toEqual(lccV);
    // with an id column, rows for the kept nodes alone are enough
    const keptOnly = 'id v\n10 110\n0 100\n5 105\n2 102\n';
    expect(byId(lcc.ids!, parseCovariates(keptOnly, g.ids, { keep: kept }).v!)).toEqual(lccV);
  });

  it('refuses a row count different from the node count, naming both', () => {
    const short = thrown(() => parseCovariates('v\n1\n2\n3\n4\n5\n', g.ids, { name: 'c.txt' }));
    expect(short.message).toMatch(/^c\.txt: expected 6 data rows .*got 5\b/);
    expect(short.message).toContain('k-th smallest id');
    const long = thrown(() => parseCovariates('v\n1\n2\n3\n4\n5\n6\n7\n8\n', g.ids, { name: 'c.txt' }));
    expect(long.message).toMatch(/^c\.txt line 8: expected 6 data rows .*got 8\b/);
  });

  it('refuses, without an id column, a table with one row per kept node only (ambiguous), and says why', () => {
    const { kept } = largestComponent(g);
    const e = thrown(() => parseCovariates('v\n1\n2\n3\n4\n', g.ids, { name: 'c.txt', keep: kept }));
    expect(e.message).toMatch(/^c\.txt: expected 6 data rows .*got 4\b/);
    expect(e.message).toContain('largestComponent');
    expect(e.message).toContain('add an id column');
  });

  it('refuses a duplicate id, an unknown id and missing ids, naming line / first missing id and count', () => {
    const dup = 'id v\n0 1\n2 1\n3 1\n5 1\n2 9\n7 1\n';
    expect(thrown(() => parseCovariates(dup, g.ids, { name: 'c.txt' })).message).toBe(
      'c.txt line 6: expected one row per node, got a second row for node "2" (the first is line 3)',
    );
    const unknown = 'id v\n0 1\n2 1\n3 1\n5 1\n42 1\n7 1\n';
    expect(thrown(() => parseCovariates(unknown, g.ids, { name: 'c.txt' })).message).toBe(
      'c.txt line 6: expected a node id of the graph in the id column, got "42" (not in the graph)',
    );
    const missing = 'id v\n7 1\n0 1\n5 1\n2 1\n';
    const e = thrown(() => parseCovariates(missing, g.ids, { name: 'c.txt' }));
    expect(e.message).toMatch(/^c\.txt: .*\b2 of the 6 nodes have none; the first \(smallest id\) is "3"$/);
    // under largestComponent only the kept nodes count
    const { kept } = largestComponent(g);
    const e2 = thrown(() => parseCovariates('id v\n0 1\n5 1\n7 1\n', g.ids, { name: 'c.txt', keep: kept }));
    expect(e2.message).toMatch(/2 of the 4 nodes kept by largestComponent have none; the first \(smallest id\) is "2"$/);
  });

  it('without an id column, refuses node ids that are not all integers (or are the same integer)', () => {
    const named = parseEdgeList('b a\na c\n');
    const e = thrown(() => parseCovariates('v\n1\n2\n3\n', named.ids, { name: 'c.txt' }));
    expect(e.message).toMatch(/^c\.txt: .*node ids are not all integers .*add an id column/);
    // the id column works for them
    expect(byId(named.ids, parseCovariates('id v\nc 3\na 1\nb 2\n', named.ids).v!)).toEqual({ a: 1, b: 2, c: 3 });
    const same = parseEdgeList('7 07\n');
    expect(thrown(() => parseCovariates('v\n1\n2\n', same.ids)).message).toMatch(/"7" and "07" are the same integer; add an id column/);
  });

  it('orders negative and very large integer ids numerically', () => {
    const big = parseEdgeList('100000000000000000001 -4\n-4 99999999999999999999\n');
    const cols = parseCovariates('v\n1\n2\n3\n', big.ids);
    expect(byId(big.ids, cols.v!)).toEqual({ '-4': 1, '99999999999999999999': 2, '100000000000000000001': 3 });
  });

  it('generated graphs (ids 0..n-1): row k is node k, and an id column works too', () => {
    expect(Array.from(parseCovariates('v\n10\n11\n12\n', 3).v!)).toEqual([10, 11, 12]);
    expect(Array.from(parseCovariates('id v\n2 12\n0 10\n1 11\n', 3).v!)).toEqual([10, 11, 12]);
    expect(thrown(() => parseCovariates('id v\n2 12\n0 10\n3 11\n', 3, { name: 'c.txt' })).message).toMatch(
      /^c\.txt line 4: .*got "3" \(not in the graph\)/,
    );
  });
});

describe('covariates through a scenario (buildGraph)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spillover-cov-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const edges = file('g.txt', `# ids out of order\n${EDGES}`);
  const model = { type: 'linear-in-means', beta: 1, gamma: 1 };
  const designs = [{ type: 'user-bernoulli', p: 0.5 }];
  const build = (graph: unknown): SocialGraph => buildGraph(parseScenario({ graph, model, designs }));

  it('an edge list with a table in node-id order, with and without largestComponent', () => {
    const cov = file('cov.txt', BY_ID_ORDER);
    const all = build({ file: edges, covariates: cov });
    expect(byId(all.ids!, all.attributes!['v']!)).toEqual(V);
    const lcc = build({ file: edges, covariates: cov, largestComponent: true });
    expect(lcc.csr.n).toBe(4);
    expect(byId(lcc.ids!, lcc.attributes!['v']!)).toEqual(only(['0', '2', '5', '10'], V));
    const keptOnly = file('kept.txt', 'id v\n10 110\n0 100\n5 105\n2 102\n');
    const lcc2 = build({ file: edges, covariates: keptOnly, largestComponent: true });
    expect(byId(lcc2.ids!, lcc2.attributes!['v']!)).toEqual(only(['0', '2', '5', '10'], V));
  });

  it('a GML file whose node ids are not in file order', () => {
    const gml = file(
      'g.gml',
      'graph [\n node [ id 30 ]\n node [ id 10 ]\n node [ id 20 ]\n edge [ source 30 target 10 ]\n edge [ source 10 target 20 ]\n]\n',
    );
    const g = build({ file: gml, covariates: file('gml-cov.txt', 'v\n1\n2\n3\n') });
    expect(byId(g.ids!, g.attributes!['v']!)).toEqual({ '10': 1, '20': 2, '30': 3 });
  });

  it('a generated graph: row k is node k', () => {
    const g = build({
      generator: 'watts-strogatz',
      n: 6,
      k: 2,
      beta: 0,
      covariates: file('ws.txt', 'id v\n5 15\n4 14\n3 13\n2 12\n1 11\n0 10\n'),
    });
    expect(Array.from(g.attributes!['v']!)).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('refusals are UserErrors naming the file', () => {
    const e = thrown(() => build({ file: edges, covariates: file('dup.txt', 'id v\n0 1\n0 2\n') }));
    expect(e.message).toMatch(/^dup\.txt line 3: /);
    const short = thrown(() => build({ file: edges, largestComponent: true, covariates: file('short.txt', 'v\n1\n2\n3\n4\n') }));
    expect(short.message).toMatch(/^short\.txt: expected 6 data rows/);
  });
});
