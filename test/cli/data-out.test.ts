// The data-out commands from the built CLI (npm test builds first): draw
// writes its CSV and says so, run --csv writes one line per row, --version.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcement } from '../../src/report/write.js';
import { parse } from 'csv-parse/sync';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-data-out-'));
const file = join(dir, 'small.json');
writeFileSync(
  file,
  JSON.stringify({
    seed: 4,
    replications: 3,
    graph: { generator: 'sbm', blocks: 4, blockSize: 20, pIn: 0.3, pOut: 0.01 },
    model: { type: 'linear-in-means', beta: 0.2, gamma: 0.5, sigma: 1 },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm', 'hajek'],
  }),
);
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('data out through the CLI', () => {
  it('draw --csv: one line per user, the file announced', () => {
    const out = join(dir, 'rep.csv');
    const r = cli('draw', file, '--rep', '2', '--design', 'blocks', '--csv', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(announcement(out));
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(80);
    expect(Object.keys(rows[0]!)).toEqual([
      'id',
      'block',
      'unit',
      'treated',
      'dose',
      'exposure_full',
      'p1_full',
      'p0_full',
      'y',
      'y_y1',
      'y_y0',
    ]);
  });

  it('draw refuses an unknown design with the ones there', () => {
    const r = cli('draw', file, '--rep', '0', '--design', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('designs there: user, blocks');
  });

  it('run --csv: replications x designs x estimators lines', () => {
    const out = join(dir, 'sims.csv');
    const r = cli('run', file, '--workers', '1', '--quiet', '--csv', out);
    expect(r.status, r.stderr).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3 * 2 * 2);
    expect(rows.map((x) => x['sim_id'])).toEqual(['0', '0', '0', '0', '1', '1', '1', '1', '2', '2', '2', '2']);
  });

  it('run --diagnosis-csv: one line per design x estimator x metric, equal to the results JSON', () => {
    const out = join(dir, 'diagnosis.csv');
    const json = join(dir, 'results.json');
    const r = cli('run', file, '--workers', '1', '--quiet', '--diagnosis-csv', out, '--json', json);
    expect(r.status, r.stderr).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const diagnosis = (
      JSON.parse(readFileSync(json, 'utf8')) as { diagnosis: { design: string; estimator: string; bias: number | null }[] }
    ).diagnosis;
    expect(rows).toHaveLength(diagnosis.length);
    rows.forEach((row, i) => {
      expect([row['design'], row['estimator']]).toEqual([diagnosis[i]!.design, diagnosis[i]!.estimator]);
      expect(row['bias']).toBe(diagnosis[i]!.bias === null ? 'NA' : String(diagnosis[i]!.bias));
    });
  });

  it('--version prints the package version', () => {
    const r = cli('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
