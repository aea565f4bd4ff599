// Golden results: every shipped scenario, 8 replications at its own seed,
// must give exactly the recorded results JSON, with 1 worker and with 2 (each
// worker then runs its own batches, of 1, 1 and 6 replications, and builds
// its own plan from the set-up two set-up threads built and share;
// test/parallel/determinism covers 1, 2 and 8 workers over several
// 32-replication batches; 8 workers on every scenario cost 3× the CPU). A refactoring changes no
// number; a deliberate change of results regenerates the files with
//   npm run build && UPDATE_GOLDEN=1 npx vitest run test/golden
// and says why in its commit.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'spillover-golden-'));
const scenarios = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort();

function run(file: string, workers: number): Promise<{ code: number | null; err: string; json: string }> {
  const out = join(dir, `w${workers}-${basename(file)}`);
  const child = spawn(process.execPath, [
    bin,
    'run',
    join(root, 'scenarios', file),
    '--reps',
    '8',
    '--workers',
    String(workers),
    '--quiet',
    '--json',
    out,
  ]);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, err, json: code === 0 ? readFileSync(out, 'utf8') : '' })));
}

describe('golden results of the shipped scenarios', { timeout: 180_000 }, async () => {
  // two at a time (1 and 2 workers of one scenario): the machine has two cores
  const results: Awaited<ReturnType<typeof run>>[][] = [];
  for (let k = 0; k < scenarios.length; k++) results.push(await Promise.all([run(scenarios[k]!, 1), run(scenarios[k]!, 2)]));
  it.each(scenarios.map((s, i) => [s, i] as const))('%s', (name, i) => {
    const [one, two] = results[i]!;
    expect(one!.code, one!.err).toBe(0);
    expect(two!.code, two!.err).toBe(0);
    const file = join(import.meta.dirname, name);
    if (process.env['UPDATE_GOLDEN'] || !existsSync(file)) writeFileSync(file, one!.json);
    expect(one!.json).toBe(readFileSync(file, 'utf8'));
    expect(two!.json, '2 workers').toBe(one!.json);
  });
});
