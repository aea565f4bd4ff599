// Every written file is announced (issue 15): one line on stderr per file,
// "wrote PATH (SIZE)", after the file is complete, so standard output stays
// data; --quiet silences the lines. Each command that writes files is run as a
// separate process and its stderr compared with the announcements exactly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcement, formatBytes } from '../../src/report/write.js';

const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-announce-'));
const file = join(dir, 'small.json');
writeFileSync(
  file,
  JSON.stringify({
    name: 'announce',
    seed: 5,
    replications: 6,
    graph: { generator: 'sbm', blocks: 4, blockSize: 30, pIn: 0.2, pOut: 0.01 },
    model: { type: 'linear-in-means', beta: 0.5, gamma: 0.5, sigma: 1 },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm', 'ht'],
  }),
);
// the same with a Louvain design, for the frontier
const louvain = join(dir, 'louvain.json');
writeFileSync(
  louvain,
  JSON.stringify({
    name: 'announce-frontier',
    seed: 5,
    replications: 6,
    graph: { generator: 'sbm', blocks: 4, blockSize: 30, pIn: 0.2, pOut: 0.01 },
    model: { type: 'linear-in-means', beta: 0.5, gamma: 0.5, sigma: 1 },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } },
    ],
    estimators: ['dm', 'cluster-dm'],
  }),
);
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
const at = (name: string) => join(dir, name);
const lines = (paths: string[]) => paths.map(announcement).join('');

describe('formatBytes', () => {
  it('reads like a person would write it', () => {
    expect([0, 812, 999, 1000, 1234, 12_345, 999_499, 999_500, 3_400_000, 2e12].map(formatBytes)).toEqual([
      '0 B',
      '812 B',
      '999 B',
      '1.0 kB',
      '1.2 kB',
      '12 kB',
      '999 kB',
      '1.0 MB',
      '3.4 MB',
      '2.0 TB',
    ]);
  });
  it('an announcement carries the size on disk', () => {
    writeFileSync(at('x.txt'), 'a'.repeat(2500));
    expect(announcement(at('x.txt'))).toBe(`wrote ${at('x.txt')} (2.5 kB)\n`);
  });
});

describe('commands announce each file they write on stderr, and --quiet silences them', () => {
  it('run --out --json --report --csv --diagnosis-csv', () => {
    const files = ['out/replications.jsonl', 'r.json', 'r.html', 'r.csv', 'd.csv'].map(at);
    const r = cli(
      'run',
      file,
      '--workers',
      '1',
      '--out',
      at('out'),
      '--json',
      files[1]!,
      '--report',
      files[2]!,
      '--csv',
      files[3]!,
      '--diagnosis-csv',
      files[4]!,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('wrote');
    for (const f of files) expect(statSync(f).size).toBeGreaterThan(0);
    // the announcements, then how long it took
    expect(r.stderr).toMatch(/^(wrote .*\n){5}done in \d+\.\d s\n$/);
    expect(r.stderr.replace(/done in .*\n$/, '')).toBe(lines(files));
    const q = cli('run', file, '--workers', '1', '--json', at('q.json'), '--quiet');
    expect(q.stderr).toBe('');
    expect(statSync(at('q.json')).size).toBeGreaterThan(0);
  });

  it('merge (new --quiet), report, draw', () => {
    const m = cli('merge', at('out/replications.jsonl'), '--json', at('m.json'), '--csv', at('m.csv'), '--diagnosis-csv', at('md.csv'));
    expect(m.status, m.stderr).toBe(0);
    expect(m.stderr).toBe(lines(['m.json', 'm.csv', 'md.csv'].map(at)));
    expect(cli('merge', at('out/replications.jsonl'), '--json', at('m2.json'), '--quiet').stderr).toBe('');

    const rep = cli('report', at('r.json'), '--rows', at('out'), '-o', at('report.html'));
    expect(rep.status, rep.stderr).toBe(0);
    expect(rep.stderr).toBe(announcement(at('report.html')));

    const d = cli('draw', file, '--rep', '1', '--csv', at('draw.csv'), '--json', at('draw.json'));
    expect(d.status, d.stderr).toBe(0);
    expect(d.stderr).toBe(lines([at('draw.csv'), at('draw.json')]));
    expect(cli('draw', file, '--rep', '1', '--csv', at('draw2.csv'), '--quiet').stderr).toBe('');
  });

  it('sweep --out --chart: progress lines, then the announcements', () => {
    const r = cli('sweep', file, '--vary', 'model.gamma=0,1', '--workers', '1', '--out', at('s.csv'), '--chart', at('s.html'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.replace(/^.* done \(\d\/2, .*\n/gm, '')).toBe(lines([at('s.csv'), at('s.html')]));
    expect(cli('sweep', file, '--vary', 'model.gamma=0,1', '--workers', '1', '--out', at('s2.csv'), '--quiet').stderr).toBe('');
  });

  it('frontier --out --chart --json: the reading on stdout, the announcements on stderr', () => {
    const files = ['f.csv', 'f.html', 'f.json'].map(at);
    const args = ['--interference', 'model.gamma=0,1', '--clusters', 'designs[1].clustering.resolution=1,2', '--workers', '1'];
    const r = cli('frontier', louvain, ...args, '--out', files[0]!, '--chart', files[1]!, '--json', files[2]!);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('model.gamma = 0: ');
    expect(r.stderr.replace(/^.* done \(\d\/4, .*\n/gm, '')).toBe(lines(files));
    expect(cli('frontier', louvain, ...args, '--out', at('f2.csv'), '--quiet').stderr).toBe('');
  });
});
