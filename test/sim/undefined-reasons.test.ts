// Undefined replications carry their reason from the estimator to the row,
// the replication file (older files without reasons read as "unspecified"),
// the diagnosis (counts per reason) and the table; and the diagnosis adds up:
// mean reported SE, and the SD of the errors when the truth varies.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../src/sim/scenario.js';
import { buildPlan } from '../../src/sim/plan.js';
import { replicator, type Row } from '../../src/sim/replicate.js';
import { diagnose } from '../../src/sim/summary.js';
import { FORMAT, readReplicationFile } from '../../src/sim/jsonl.js';
import { formatResults } from '../../src/report/table.js';
import { reasonText, UNDEFINED_REASONS } from '../../src/estimate/estimator.js';
import type { Results } from '../../src/sim/run.js';

const row = (rep: number, estimate: number | null, extra: Partial<Row> = {}): Row => ({
  rep,
  design: 'd',
  estimator: 'e',
  metric: 'y',
  truth: 1,
  estimate,
  se: estimate === null ? null : 0.5,
  df: null,
  ...extra,
});

describe('reasons from the estimators to the rows', () => {
  it('cluster-dm with 4 clusters at p = 0.3: undefined rows say "arm-units", defined rows carry no reason', () => {
    const s = parseScenario({
      seed: 1,
      replications: 60,
      graph: { generator: 'sbm', blocks: 4, blockSize: 10, pIn: 0.5, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.3, gamma: 0, sigma: 1 },
      designs: [{ type: 'cluster', name: 'blocks', p: 0.3, clustering: { method: 'blocks' } }],
      estimators: ['cluster-dm'],
    });
    const rep = replicator(buildPlan(s));
    const rows = Array.from({ length: s.replications }, (_, r) => rep(r)).flat();
    const undef = rows.filter((r) => r.estimate === null);
    // P(fewer than 2 treated or fewer than 2 control of 4) = 1 - P(exactly 2) = 1 - 6 * 0.09 * 0.49
    expect(undef.length).toBeGreaterThan(10);
    expect(undef.every((r) => r.reason === 'arm-units')).toBe(true);
    expect(rows.filter((r) => r.estimate !== null).every((r) => !('reason' in r))).toBe(true);
    const d = diagnose(rows)[0]!;
    expect(d.undefinedReasons).toEqual([{ reason: 'arm-units', text: UNDEFINED_REASONS['arm-units'], count: undef.length }]);
  });
});

describe('diagnosis', () => {
  it('counts undefined replications per reason, most frequent first; a missing reason is "unspecified"', () => {
    const rows = [
      row(0, 1),
      row(1, null, { reason: 'treated-units' }),
      row(2, null, { reason: 'negative-variance' }),
      row(3, null, { reason: 'treated-units' }),
      row(4, null),
    ];
    const d = diagnose(rows)[0]!;
    expect(d.undefinedShare).toBe(4 / 5);
    expect(d.undefinedReasons.map((x) => [x.reason, x.count])).toEqual([
      ['treated-units', 2],
      ['negative-variance', 1],
      ['unspecified', 1],
    ]);
    expect(d.undefinedReasons[0]!.text).toBe(reasonText('treated-units'));
    expect(reasonText('from-a-newer-version')).toBe('from-a-newer-version');
  });

  it('mean SE over defined replications with an SE; SD of the errors', () => {
    const rows = [
      row(0, 1.5, { truth: 1, se: 0.2 }),
      row(1, 0.5, { truth: 2, se: 0.4 }),
      row(2, 2.0, { truth: 1.5, se: null }), // defined, no SE: not in the mean SE
      row(3, null, { truth: 3, reason: 'arm-users' }),
    ];
    const d = diagnose(rows)[0]!;
    expect(d.meanSE).toBeCloseTo(0.3, 15);
    // errors 0.5, -1.5, 0.5: mean -1/6
    const e = [0.5, -1.5, 0.5];
    const m = -1 / 6;
    expect(d.sdError).toBeCloseTo(Math.sqrt(e.reduce((s, x) => s + (x - m) ** 2, 0) / 2), 15);
    // estimates 1.5, 0.5, 2: the SD of the estimates differs
    expect(d.sd).toBeCloseTo(Math.sqrt(((1.5 - 4 / 3) ** 2 + (0.5 - 4 / 3) ** 2 + (2 - 4 / 3) ** 2) / 2), 15);
    const none = diagnose([row(0, null, { reason: 'arm-users' })])[0]!;
    expect([none.meanSE, none.sdError]).toEqual([null, null]);
  });
});

describe('replication files', () => {
  it('carry the reason, and read a row written without one as "unspecified"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spillover-reasons-'));
    const path = join(dir, 'old.jsonl');
    const old = { rep: 0, design: 'd', estimator: 'e', metric: 'y', truth: 1, estimate: null, se: null, df: null };
    const now = { ...old, rep: 1, reason: 'control-units' };
    writeFileSync(
      path,
      [
        // a complete manifest: resume and merge refuse one lacking fields
        JSON.stringify({
          manifest: {
            format: FORMAT,
            scenarioHash: '0123456789abcdef',
            seed: 1,
            replications: 2,
            shard: null,
            scenario: {},
            inputs: [],
            graph: { nodes: 2, edges: 1, meanDegree: 1, isolated: 0, threads: null, meanThreadsPerUser: null },
            designs: [],
          },
        }),
        JSON.stringify({ rep: 0, rows: [old, { ...old, estimate: 2, se: 1 }] }),
        JSON.stringify({ rep: 1, rows: [now] }),
      ].join('\n') + '\n',
    );
    const f = readReplicationFile(path);
    expect(f.reps.get(0)![0]!.reason).toBe('unspecified');
    expect(f.reps.get(0)![1]!.reason).toBeUndefined();
    expect(f.reps.get(1)![0]!.reason).toBe('control-units');
  });
});

describe('the table', () => {
  const results = (truthSE: number): Results => {
    const rows = [
      row(0, 1),
      row(1, 2),
      ...Array.from({ length: 3 }, (_, k) => row(2 + k, null, { reason: 'control-units' })),
      row(5, null, { reason: 'negative-variance' }),
    ];
    const d = { ...diagnose(rows)[0]!, design: 'louvain', estimator: 'hajek', truthSE };
    return {
      scenario: parseScenario({
        name: 'x',
        seed: 1,
        replications: 6,
        graph: { generator: 'sbm', blocks: 2, blockSize: 5, pIn: 0.5, pOut: 0.1 },
        model: { type: 'linear-in-means', beta: 1, gamma: 0 },
        designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
      }),
      graph: { nodes: 10, edges: 12, meanDegree: 2.4, isolated: 0, threads: null, meanThreadsPerUser: null },
      designs: [{ name: 'louvain', type: 'cluster', p: 0.5, units: 2, withinClusterShare: 0.75, randomClustering: false, skipped: [] }],
      diagnosis: [d],
    };
  };

  it('lists under the table, per row, how many replications were undefined and why', () => {
    const text = formatResults(results(0));
    expect(text).toContain(
      `  louvain hajek: 4 of 6 undefined: ${UNDEFINED_REASONS['control-units']} (3); ${UNDEFINED_REASONS['negative-variance']} (1)`,
    );
    expect(text).toContain("on average 75.0% of a user's friends are in their own unit");
    expect(text).not.toContain('friendships inside');
  });

  it('shows the mean SE, and the SD of the errors only when some truth varies', () => {
    const fixed = formatResults(results(0));
    const header = (t: string) => t.split('\n').find((l) => l.includes('estimator'))!;
    expect(header(fixed)).toMatch(/SD .*RMSE .*mean SE .*coverage/);
    expect(header(fixed)).not.toContain('SD(err)');
    expect(header(formatResults(results(0.01)))).toMatch(/SD .*SD\(err\) .*RMSE .*mean SE/);
  });
});
