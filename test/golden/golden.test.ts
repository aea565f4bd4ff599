// Golden results: every shipped scenario, 8 replications at its own seed,
// must give exactly the recorded results JSON. A refactoring changes no
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

function run(file: string): Promise<{ code: number | null; err: string; json: string }> {
  const out = join(dir, basename(file));
  const child = spawn(process.execPath, [
    bin,
    'run',
    join(root, 'scenarios', file),
    '--reps',
    '8',
    '--workers',
    '1',
    '--quiet',
    '--json',
    out,
  ]);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, err, json: code === 0 ? readFileSync(out, 'utf8') : '' })));
}

describe('golden results of the shipped scenarios', { timeout: 180_000 }, async () => {
  // two at a time: the machine has two cores
  const results: Awaited<ReturnType<typeof run>>[] = [];
  for (let k = 0; k < scenarios.length; k += 2) results.push(...(await Promise.all(scenarios.slice(k, k + 2).map(run))));
  it.each(scenarios.map((s, i) => [s, i] as const))('%s', (name, i) => {
    const r = results[i]!;
    expect(r.code, r.err).toBe(0);
    const file = join(import.meta.dirname, name);
    if (process.env['UPDATE_GOLDEN'] || !existsSync(file)) writeFileSync(file, r.json);
    expect(r.json).toBe(readFileSync(file, 'utf8'));
  });
});
