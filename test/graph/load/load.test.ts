import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { csrFromEdges, edgeCount, threadsFromLists, type SocialGraph } from '../../../src/graph/csr.js';
import {
  connectedComponents,
  largestComponent,
  loadCovariates,
  loadEdgeList,
  loadGml,
  loadGraph,
  loadNodeLabels,
  missingShare,
  missingToNaN,
  parseCovariates,
  parseEdgeList,
  parseGml,
  parseNodeLabels,
} from '../../../src/graph/load/index.js';

const data = (f: string) => fileURLToPath(new URL(`../../../data/${f}`, import.meta.url));

/** Independent count: distinct unordered non-loop pairs and self-loops, via split and a Set. */
function naiveCount(text: string): { edges: number; loops: number; nodes: number } {
  const pairs = new Set<string>();
  const nodes = new Set<string>();
  let loops = 0;
  for (const line of text.split(/\r\r\n|\r\n|\r|\n/)) {
    const t = line.trim().split(/\s+/);
    if (t.length < 2 || line.trim().startsWith('#')) continue;
    const [a, b] = t.map(Number) as [number, number];
    nodes.add(t[0]!).add(t[1]!);
    if (a === b) loops++;
    else pairs.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
  }
  return { edges: pairs.size, loops, nodes: nodes.size };
}

/** Every undirected edge of a CSR as "min-max" keys, mapped through ids. */
function edgeKeys(g: SocialGraph): Set<string> {
  const out = new Set<string>();
  const { offsets, nbrs, n } = g.csr;
  for (let u = 0; u < n; u++) {
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
      const [a, b] = [g.ids![u]!, g.ids![nbrs[k]!]!].sort();
      out.add(`${a}-${b}`);
    }
  }
  return out;
}

describe('SNAP ego-Facebook (facebook_combined.txt)', () => {
  const g = loadEdgeList(data('facebook_combined.txt'));

  it('has 4,039 nodes and 88,234 edges, none dropped', () => {
    expect(g.csr.n).toBe(4039);
    expect(edgeCount(g.csr)).toBe(88234);
    expect(g.stats).toEqual({ lines: 88234, selfLoops: 0, duplicates: 0 });
    expect(g.ids[0]).toBe('0');
    expect(g.index.get('4038')).toBe(g.ids.indexOf('4038'));
  });

  it('is connected: the largest component is the whole graph', () => {
    expect(connectedComponents(g.csr).count).toBe(1);
    const { graph, kept } = largestComponent(g);
    expect(graph).toBe(g);
    expect(kept.length).toBe(4039);
  });
});

describe('SNAP email-Eu-core (\\r\\r\\n line endings)', () => {
  const path = data('email-Eu-core.txt');
  const text = readFileSync(path, 'utf8');
  const g = loadEdgeList(path, { directed: true });

  it("reads SNAP's 1,005 nodes and 25,571 directed edges", () => {
    expect(text).toContain('\r\r\n');
    expect(g.csr.n).toBe(1005);
    expect(g.stats.lines).toBe(25571);
  });

  it('keeps 16,064 undirected edges after dropping 642 self-loops and 8,865 reverse duplicates', () => {
    const naive = naiveCount(text);
    expect(naive).toEqual({ edges: 16064, loops: 642, nodes: 1005 });
    expect(edgeCount(g.csr)).toBe(16064);
    expect(g.stats.selfLoops).toBe(642);
    expect(g.stats.duplicates).toBe(25571 - 642 - 16064);
    // the file has no repeated arcs: every duplicate is the reverse of another edge
    expect(g.stats.reciprocal).toBe(g.stats.duplicates);
    expect(edgeKeys(g).size).toBe(16064);
  });

  it('has a largest component of 986 nodes', () => {
    const { graph, kept } = largestComponent(g);
    expect(graph.csr.n).toBe(986);
    expect(kept.length).toBe(986);
    expect(connectedComponents(graph.csr).count).toBe(1);
  });

  it('labels every node with one of 42 departments', () => {
    const dept = loadNodeLabels(data('email-Eu-core-department-labels.txt'), g);
    expect(dept.length).toBe(1005);
    expect(dept.every((d) => d >= 0)).toBe(true);
    expect(new Set(dept).size).toBe(42);
    expect(Math.max(...dept)).toBe(41);
    expect(dept[g.index.get('0')!]).toBe(1); // first line of the file: "0 1"
  });

  it('loadGraph glues edges, departments and the largest component', () => {
    const { graph, report } = loadGraph({
      path,
      directed: true,
      largestComponent: true,
      labels: { path: data('email-Eu-core-department-labels.txt'), name: 'dept' },
    });
    expect(report).toEqual({
      nodes: 986,
      edges: edgeCount(graph.csr),
      selfLoops: 642,
      duplicates: 8865,
      reciprocal: 8865,
      droppedByLcc: 19,
    });
    expect(graph.attributes!.dept!.length).toBe(986);
    expect(graph.ids!.length).toBe(986);
    expect(graph.attributes!.dept!.some(Number.isNaN)).toBe(false);
    expect(Object.keys(graph).sort()).toEqual(['attributes', 'csr', 'ids']);
  });
});

describe('Facebook100 Caltech36.gml', () => {
  const g = loadGml(data('Caltech36.gml'));
  const text = readFileSync(data('Caltech36.gml'), 'utf8');

  it('has 769 nodes and 16,656 edges, as many as the file lists', () => {
    expect(g.csr.n).toBe(769);
    expect(edgeCount(g.csr)).toBe(16656);
    expect(text.match(/\bnode \[/g)!.length).toBe(769);
    expect(text.match(/\bedge \[/g)!.length).toBe(16656);
    expect(g.stats).toEqual({ lines: 16656, selfLoops: 0, duplicates: 0 });
    expect(g.ids.slice(0, 3)).toEqual(['0', '1', '2']);
  });

  it('keeps the numeric attributes as written, with 0 = missing', () => {
    const a = g.attributes!;
    expect(Object.keys(a).sort()).toEqual(['dorm', 'gender', 'high_school', 'major_index', 'second_major', 'student_fac', 'year']);
    // node 0 of the file: student_fac 1, gender 1, major_index 199, second_major 0, dorm 169, year 2008
    expect([a.student_fac![0], a.gender![0], a.major_index![0], a.second_major![0], a.dorm![0], a.year![0]]).toEqual([
      1, 1, 199, 0, 169, 2008,
    ]);
    // shares of zeros counted in the file with grep: dorm 172, year 114, second_major 573 of 769
    const share = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, Math.round(missingShare(v) * 769)]));
    expect(share).toEqual({ student_fac: 0, gender: 66, major_index: 77, second_major: 573, dorm: 172, year: 114, high_school: 134 });
    expect(new Set(missingToNaN(a.dorm!)).size).toBe(9); // 8 dorms + NaN
    expect(a.dorm!.includes(0)).toBe(true); // unchanged
  });

  it('loadGraph infers gml; the largest component has 762 nodes and 16,651 edges', () => {
    // components of sizes 762, 3, 2, 2 (checked with an independent Python BFS; Traud et al. report 762)
    expect(connectedComponents(g.csr).sizes.sort((a, b) => b - a)).toEqual([762, 3, 2, 2]);
    const { graph, report } = loadGraph({ path: data('Caltech36.gml'), largestComponent: true });
    expect(report).toEqual({ nodes: 762, edges: 16651, selfLoops: 0, duplicates: 0, droppedByLcc: 7 });
    expect(graph.attributes!.dorm!.length).toBe(762);
  });
});

describe('parseEdgeList on synthetic input', () => {
  const expected = (g: ReturnType<typeof parseEdgeList>) => [g.csr.n, edgeCount(g.csr), g.stats.selfLoops, g.stats.duplicates];

  for (const [label, eol] of [
    ['\\n', '\n'],
    ['\\r', '\r'],
    ['\\r\\n', '\r\n'],
    ['\\r\\r\\n', '\r\r\n'],
  ] as const) {
    it(`reads ${label} line endings, with or without a final one`, () => {
      const body = ['# comment', 'a\tb', '', 'b c', '% other comment', 'c a'].join(eol);
      for (const text of [body, body + eol]) {
        const g = parseEdgeList(text);
        expect(expected(g)).toEqual([3, 3, 0, 0]);
        expect(g.ids).toEqual(['a', 'b', 'c']);
      }
      const bad = ['1 2', '2 3', '4'].join(eol);
      expect(() => parseEdgeList(bad, { name: 'x.txt' })).toThrow('x.txt line 3:');
    });
  }

  it('relabels string ids in order of first appearance and keeps the mapping', () => {
    const g = parseEdgeList('alice  bob\n  carol\t\talice  \nbob dave\n');
    expect(g.ids).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect([...g.index]).toEqual([
      ['alice', 0],
      ['bob', 1],
      ['carol', 2],
      ['dave', 3],
    ]);
    expect(Array.from(g.csr.nbrs.subarray(g.csr.offsets[0]!, g.csr.offsets[1]!))).toEqual([1, 2]);
  });

  it('keeps numeric-looking ids distinct from their variants', () => {
    const g = parseEdgeList('7 007\n07 x7\n12345678901 7\n0 7\n99999 0\n007 99999\n');
    expect(g.ids).toEqual(['7', '007', '07', 'x7', '12345678901', '0', '99999']);
    expect(edgeCount(g.csr)).toBe(6);
    for (const [id, k] of g.index) expect(g.ids[k]).toBe(id);
  });

  it('counts a b / b a once, reports it as a duplicate and (directed) as reciprocal', () => {
    const g = parseEdgeList('a b\nb a\na b\nc c\n', { directed: true });
    expect(expected(g)).toEqual([3, 1, 1, 2]);
    expect(g.stats).toEqual({ lines: 4, selfLoops: 1, duplicates: 2, reciprocal: 1 });
    expect(parseEdgeList('a b\nb a\n').stats.reciprocal).toBeUndefined();
  });

  it('ignores a numeric third column but rejects other shapes with file and line', () => {
    expect(edgeCount(parseEdgeList('1 2 0.5\n2 3 1e3\n').csr)).toBe(2);
    const err = (text: string) => {
      try {
        parseEdgeList(text, { name: 'net.txt' });
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as UserError).code).toBe('EFILE');
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err('1 2\n2 3\n12 x y\n')).toBe(
      'net.txt line 3: expected two node ids separated by whitespace (and optionally a numeric weight), got "12 x y"',
    );
    expect(err('# c\n\n7\n')).toContain('net.txt line 3:');
    expect(err('1 2\r\r\n3 4 5 6\r\r\n')).toContain('line 2:');
  });

  it('handles empty input and a byte-order mark', () => {
    expect(parseEdgeList('').csr.n).toBe(0);
    expect(parseEdgeList('\uFEFF1 2\n').ids).toEqual(['1', '2']);
  });
});

describe('parseGml on synthetic input', () => {
  it('reads quoted ids, skips strings and nested lists, resolves forward edges', () => {
    const g = parseGml(
      [
        'Creator "test [not a list]"',
        'graph [',
        '  directed 1',
        '  edge [ source "b" target "a" ]',
        '  node [ id "a" label "x y" age 31 graphics [ x 1.5 y -2 ] ]',
        '  node [ id "b" age 2.5e1 ]',
        '  node [ id "c" ]',
        '  edge [ source "a" target "b" ]',
        '  edge [ source "c" target "c" ]',
        ']',
      ].join('\r\n'),
    );
    expect(g.ids).toEqual(['a', 'b', 'c']);
    expect(Object.keys(g.attributes!)).toEqual(['age']);
    expect(Array.from(g.attributes!.age!)).toEqual([31, 25, NaN]);
    expect(g.stats).toEqual({ lines: 3, selfLoops: 1, duplicates: 1 });
    expect(edgeCount(g.csr)).toBe(1);
  });

  it('names the line of malformed input', () => {
    const base = (s: string) => `graph [\n  node [ id 1 ]\n${s}\n]\n`;
    expect(() => parseGml(base('  edge [ source 1 target 9 ]'), { name: 'g.gml' })).toThrow(/^g\.gml line 3: .*target.*"9"/);
    expect(() => parseGml(base('  node [ id 1 ]'), { name: 'g.gml' })).toThrow('g.gml line 3: expected a new node id');
    expect(() => parseGml(base('  node [ label "x" ]'), { name: 'g.gml' })).toThrow('g.gml line 3: expected an id');
    expect(() => parseGml(base('  node [ id 2 w 1x ]'), { name: 'g.gml' })).toThrow('g.gml line 3: expected a key, number');
    expect(() => parseGml('graph [\n node [ id 1\n', { name: 'g.gml' })).toThrow(/line 3: expected \] closing the node opened on line 2/);
    expect(() => parseGml('graph [\n node [ id "1 ]\n]', { name: 'g.gml' })).toThrow('g.gml line 2: expected a closing "');
    expect(() => parseGml('Creator "x"\n', { name: 'g.gml' })).toThrow('expected a "graph');
  });
});

describe('labels and covariates', () => {
  const ids = ['10', '20', '30'];

  it('maps labels through ids, -1 where none, errors on unknown ids with line', () => {
    expect(Array.from(parseNodeLabels('# c\n30 2\r\n10 0\n', ids))).toEqual([0, -1, 2]);
    expect(() => parseNodeLabels('10 1\n40 1\n', ids, { name: 'l.txt' })).toThrow(
      'l.txt line 2: expected a node id of the graph, got "40"',
    );
    expect(Array.from(parseNodeLabels('10 1\n40 1\n', ids, { unknown: 'ignore' }))).toEqual([1, -1, -1]);
    expect(() => parseNodeLabels('10 a\n', ids)).toThrow('line 1: expected a non-negative integer label');
    expect(() => parseNodeLabels('10 1\n10 2\n', ids)).toThrow('line 2: expected one label per node');
  });

  it('reads a covariate table with or without a header', () => {
    const withHeader = parseCovariates('age score\n30 1.5\n41 NA\n', 2);
    expect(Object.keys(withHeader)).toEqual(['age', 'score']);
    expect(Array.from(withHeader.score!)).toEqual([1.5, NaN]);
    expect(Object.keys(parseCovariates('1 2\n3 4\n', 2))).toEqual(['x1', 'x2']);
    expect(() => parseCovariates('a b\n1 2\n', 2, { name: 'c.txt' })).toThrow(
      'c.txt: expected 2 data rows (one per node, in node order), got 1',
    );
    expect(() => parseCovariates('1\n2\n3\n', 2, { name: 'c.txt' })).toThrow('c.txt line 3: expected 2 data rows');
    expect(() => parseCovariates('a b\n1\n', 1)).toThrow('line 2: expected 2 values');
    expect(() => parseCovariates('a b\n1 zz\n', 1)).toThrow('line 2: expected a number in column b, got "zz"');
  });

  it('loadCovariates reads a file and names it in errors', () => {
    expect(() => loadCovariates(data('email-Eu-core-department-labels.txt'), 10)).toThrow(
      'email-Eu-core-department-labels.txt line 11: expected 10 data rows',
    );
    expect(loadCovariates(data('email-Eu-core-department-labels.txt'), 1005).x2!.length).toBe(1005);
    expect(() => loadCovariates(data('no-such-file.txt'), 1)).toThrow(/cannot read .*no-such-file\.txt: ENOENT/);
  });
});

describe('loadGraph', () => {
  it('rejects an unknown extension and a label name that hides an attribute', () => {
    expect(() => loadGraph({ path: 'net.csv' })).toThrow('net.csv: cannot tell the format from the extension ".csv"');
    const labels = { path: data('email-Eu-core-department-labels.txt'), name: 'dorm' };
    expect(() => loadGraph({ path: data('Caltech36.gml'), labels })).toThrow('attribute "dorm" already exists');
    expect(() => loadGraph({ path: data('missing.gml') })).toThrow(UserError);
  });
});

describe('largestComponent', () => {
  // component A = {1, 3, 4} (a triangle plus nothing), component B = {0, 2} (an edge), 5 isolated
  const src = [3, 0, 1, 4];
  const dst = [4, 2, 3, 1];
  const graph: SocialGraph = {
    csr: csrFromEdges(6, src, dst).csr,
    ids: ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'],
    blocks: Int32Array.from([0, 1, 0, 1, 1, 2]),
    attributes: { x: Float64Array.from([0, 10, 20, 30, 40, 50]) },
    threads: threadsFromLists(6, [
      [1, 3, 4],
      [0, 1, 3, 4],
      [0, 2, 1, 5],
      [0, 2],
    ]),
  };

  it('keeps the largest component and relabels every field consistently', () => {
    const { graph: g, kept } = largestComponent(graph);
    expect(Array.from(kept)).toEqual([1, 3, 4]);
    expect(g.csr.n).toBe(3);
    expect(edgeCount(g.csr)).toBe(3);
    expect(Array.from(g.csr.offsets)).toEqual([0, 2, 4, 6]);
    expect(Array.from(g.csr.nbrs)).toEqual([1, 2, 0, 2, 0, 1]);
    expect(g.ids).toEqual(['n1', 'n3', 'n4']);
    expect(Array.from(g.blocks!)).toEqual([1, 1, 1]);
    expect(Array.from(g.attributes!.x!)).toEqual([10, 30, 40]);
    // thread 0 intact, thread 1 loses 0 but keeps 3 members, thread 2 falls to 1 member, thread 3 to none
    expect(g.threads!.count).toBe(2);
    expect(Array.from(g.threads!.members)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(edgeKeys(g)).toEqual(new Set([...edgeKeys(graph)].filter((k) => !k.includes('n0'))));
  });

  it('handles the empty graph', () => {
    const { graph: g, kept } = largestComponent({ csr: csrFromEdges(0, [], []).csr });
    expect(g.csr.n).toBe(0);
    expect(kept.length).toBe(0);
  });
});
