// Helpers for the parallel tests: run the built CLI (dist/) as a separate
// process, as a user or a scheduler would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const bin = join(import.meta.dirname, '../../dist/src/cli/bin.js');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'spillover-par-'));
}

/** A small scenario with every estimator and a Louvain cluster design. */
export function smallScenario(replications = 30, extra: Record<string, unknown> = {}) {
  return {
    name: 'parallel-test',
    seed: 17,
    replications,
    graph: { generator: 'sbm', blocks: 8, blockSize: 40, pIn: 0.25, pOut: 0.01 },
    model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1 },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } },
    ],
    ...extra,
  };
}

export function writeScenario(dir: string, scenario: unknown, name = 'scenario.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Run the CLI to completion; the timeout turns a hang (e.g. an orphan worker) into a failure. */
export function cli(args: string[], env: Record<string, string> = {}, timeout = 30_000): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout, env: { ...process.env, ...env } });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** Run the CLI in the background; resolves when it exits. */
export function cliAsync(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { child, done };
}

export const read = (file: string) => readFileSync(file, 'utf8');
