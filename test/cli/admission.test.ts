// Sizes out of reach are refused before anything is allocated: exit 2, a
// message naming the field, no stack trace, within seconds. Runs the built
// CLI with a 512 MB heap, so a regression fails instead of eating memory.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-admission-'));
const small = { generator: 'sbm', blocks: 4, blockSize: 30, pIn: 0.3, pOut: 0.01 };
const good = {
  replications: 5,
  graph: small,
  model: { type: 'linear-in-means', beta: 1, gamma: 1 },
  designs: [{ type: 'user-bernoulli', p: 0.5 }],
};

let count = 0;
function write(content: unknown, name = `s${++count}.json`): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return file;
}

function cli(...args: string[]) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', bin, ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, seconds: (Date.now() - t0) / 1000 };
}

function refused(r: ReturnType<typeof cli>, ...needles: (string | RegExp)[]) {
  expect(r.code, r.err).toBe(2);
  for (const s of needles) expect(r.err).toMatch(s);
  expect(r.err).not.toMatch(/^\s+at /m); // no stack trace
  expect(r.out).toBe('');
  expect(r.seconds).toBeLessThan(20);
}

const scenario = (patch: object) => write({ ...good, ...patch });

describe('sizes are admitted before allocation', () => {
  it('dependent pairs: refused by the estimate before the graph, by the exact count after it', () => {
    // 2,000 users in 10 Louvain clusters: admission's two-hop estimate is 138,063 pairs, the exact count 1,079,957
    const s = scenario({
      graph: { generator: 'sbm', blocks: 10, blockSize: 200, pIn: 0.05, pOut: 0.001 },
      designs: [{ type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain' } }],
      estimators: ['dm', 'ht'],
    });
    refused(
      cli('run', s, '--max-memory', '10M', '--workers', '1'),
      /^spillover: estimators = 1 ht\/hajek pair list .*about 138,063 dependent pairs.*exceeds --max-memory 10 MB/,
    );
    const exact =
      /^spillover: estimators: ht\/hajek on design "louvain" with full-neighbourhood exposure: 1,079,957 dependent pairs \(exact count\) need about 99 MB .*more than the 59 MB one pair list may take within --max-memory 60 MB.*; raise --max-memory/;
    refused(cli('run', s, '--max-memory', '60M', '--workers', '1', '--quiet'), exact); // in a set-up thread
    refused(cli('exposure', s, '--max-memory', '60M', '--workers', '2'), exact);
    refused(cli('variance', s, '--max-memory', '60M', '--workers', '1'), exact);
    const ok = cli('exposure', s, '--max-memory', '200M', '--workers', '1');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('1,079,957');
  });

  it('Watts–Strogatz and Barabási–Albert with n = 1e9', () => {
    refused(cli('exposure', scenario({ graph: { generator: 'watts-strogatz', n: 1e9, k: 10, beta: 0.1 } })), 'graph.n = 1000000000');
    refused(
      cli('exposure', scenario({ graph: { generator: 'barabasi-albert', n: 1e9, m: 2 } }), '--max-memory', '8G'),
      /graph\.n = 1000000000: about \d+ GB for the graph \(CSR\) exceeds --max-memory 8\.0 GB; lower graph\.n or raise --max-memory/,
    );
  });
  it('SBM with one block of 1e9 and torus side 46,340', () => {
    refused(cli('readout', scenario({ graph: { generator: 'sbm', sizes: [1e9], pIn: 0.1, pOut: 0 } })), 'graph.sizes = [1000000000]');
    refused(cli('power', scenario({ graph: { generator: 'torus', side: 46340 } })), 'graph.side = 46340');
  });
  it('threads.meanThreadsPerUser = 1e9 and replications = 1e12', () => {
    refused(cli('exposure', scenario({ threads: { meanThreadsPerUser: 1e9 } })), 'threads.meanThreadsPerUser: must be at most 1000');
    refused(cli('exposure', scenario({ replications: 1e12 })), 'replications: must be at most 10,000,000');
  });
  it('--reps 1e9', () => refused(cli('power', scenario({}), '--reps', '1000000000'), '--reps 1000000000: at most 10,000,000 replications'));
  it('draws 1e12, batches 1e9 and mixture k 1e9 are refused, not run', () => {
    refused(cli('exposure', scenario({ estimators: [{ estimator: 'ht', draws: 1e12 }] })), 'estimators[0].draws: must be at most');
    refused(cli('variance', scenario({ estimators: [{ estimator: 'ht', batches: 1e9 }] })), 'estimators[0].batches: must be at most');
    const mixture = { type: 'mixture', p: 0.5, k: 1e9, clustering: { method: 'one-hop-max' } };
    refused(cli('exposure', scenario({ designs: [mixture] })), 'designs[0].k: must be at most');
  });
  it('--workers 64: a warning about the cores, then the memory limit', () => {
    const r = cli('sweep', scenario({}), '--vary', 'model.gamma=0,1', '--workers', '64', '--max-memory', '1M', '--quiet');
    refused(r, /--workers 64: about .* exceeds --max-memory 1\.0 MB/);
    if (availableParallelism() < 64) expect(r.err).toMatch(/warning: --workers 64 is more than the \d+ cores/);
    refused(cli('sweep', scenario({}), '--vary', 'model.gamma=0,1', '--workers', '1000'), '--workers must be at most 256');
  });
});

describe('input files', () => {
  const fileGraph = (file: string) => scenario({ graph: { file, format: 'edgelist' } });
  it('/dev/zero as a graph and as a scenario, a FIFO and a directory', () => {
    refused(cli('exposure', fileGraph('/dev/zero')), 'graph.file: cannot read "/dev/zero"', 'it is a device');
    refused(cli('exposure', '/dev/zero'), 'cannot read scenario file /dev/zero: it is a device');
    refused(cli('exposure', dir), 'it is a directory');
    const fifo = join(dir, 'fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here
    refused(cli('exposure', fifo), 'it is a FIFO');
    refused(cli('exposure', fileGraph(fifo)), 'graph.file', 'it is a FIFO');
  });
  it('a graph file above the limit names the variable that raises it', () => {
    const edges = write('0 1\n1 2\n2 0\n'.repeat(100), 'edges.txt');
    const r = spawnSync(process.execPath, [bin, 'exposure', fileGraph(edges)], {
      encoding: 'utf8',
      env: { ...process.env, SPILLOVER_MAX_GRAPH_FILE: '100' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /graph\.file: cannot read .* exceeds the 100 bytes limit for graph files \(raise it with SPILLOVER_MAX_GRAPH_FILE/,
    );
  });
  it('a missing graph file names the field and the resolved path', () => {
    refused(
      cli('exposure', fileGraph('nope.txt')),
      `graph.file: cannot read "nope.txt" (resolved to ${resolve(dir, 'nope.txt')}): ENOENT (no such file)`,
    );
    refused(cli('exposure', scenario({ graph: { ...small, covariates: 'cov.txt' } })), 'graph.covariates: cannot read "cov.txt"');
  });
  it('a scenario with a UTF-8 byte-order mark is read', () => {
    const r = cli(
      'run',
      write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(good))])),
      '--workers',
      '1',
      '--quiet',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
  it('control characters in names are refused', () => {
    const r = cli('exposure', scenario({ name: 'red\u001b[31m', designs: [{ type: 'user-bernoulli', p: 0.5, name: 'x\u001b[2J' }] }));
    refused(r, '  name: must not contain control characters', 'designs[0].name: must not contain control characters');
    expect(r.err).not.toContain('\u001b');
  });
});

describe('report', () => {
  const results = join(dir, 'results.json');
  const run = (...extra: string[]) => cli('run', scenario({}), '--workers', '1', '--quiet', ...extra);

  it('validates and admits the scenario a results file embeds', () => {
    const r = run('--json', results, '--out', join(dir, 'run1'));
    expect(r.code, r.err).toBe(0);
    const saved = JSON.parse(readFileSync(results, 'utf8'));
    const huge = write({ ...saved, scenario: { ...saved.scenario, graph: { generator: 'watts-strogatz', n: 1e9, k: 10, beta: 0.1 } } });
    refused(cli('report', huge, '-o', join(dir, 'r.html'), '--quiet'), 'graph.n = 1000000000');
    const ansi = write({ ...saved, scenario: { ...saved.scenario, name: '\u001b]0;x\u0007' } });
    refused(cli('report', ansi, '-o', join(dir, 'r.html'), '--quiet'), 'name: must not contain control characters');
  });

  it('--rows refuses the rows of another scenario or replication count', () => {
    expect(run('--seed', '7', '--out', join(dir, 'run2')).code).toBe(0);
    refused(cli('report', results, '--rows', join(dir, 'run2'), '-o', join(dir, 'r.html')), 'comes from another scenario', 'seed');
    // the same run with its last replication missing
    const lines = readFileSync(join(dir, 'run1', 'replications.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const short = write(lines.slice(0, -1).join('\n') + '\n', 'short.jsonl');
    refused(cli('report', results, '--rows', short, '-o', join(dir, 'r.html')), 'holds 4 of 5 replications', 'summarises 5');
    const ok = cli('report', results, '--rows', join(dir, 'run1'), '-o', join(dir, 'r.html'), '--quiet');
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
  });
});
