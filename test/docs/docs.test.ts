// The documents' numbers are the program's (issue 15): every checked command
// in docs/tutorial.md and docs/products.md (a ```sh block starting with
// `spillover`, then a ```text block with its output or an excerpt; see
// _check.ts) is run with the built CLI, and every line of the expected block
// must be found in the output with the same numbers. A deliberate change of
// results regenerates the blocks with
//   npm run build && UPDATE_DOCS=1 npx vitest run test/docs
// (the excerpts stay excerpts; read the diff and the prose around it).
// Identical commands in several documents run once; two run at a time (the
// machine has two cores), so checked `run` commands use --workers 1 and a
// small --reps.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, compare, numbers, parseChecks, rewrite, skeleton, type Check } from './_check.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'dist/src/cli/bin.js');
const DOCS = ['docs/tutorial.md', 'docs/products.md'];
/** wall-clock limit per command: a 50-replication product run takes about 20 s of CPU alone */
const LIMIT_MS = 150_000;

interface Output {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
  ms: number;
}

function run(command: string): Promise<Output> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [bin, ...argv(command)], { cwd: root, timeout: LIMIT_MS, killSignal: 'SIGKILL' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err, ms: Date.now() - t0 })));
}

describe('the checker', () => {
  const doc = [
    'text',
    '```sh',
    'spillover run scenarios/x.json --reps 5',
    '```',
    '',
    '```text',
    'truth 48.95 ±0.16',
    '…',
    '│ thread  │ dm  │ 0.03 │',
    '```',
    '```sh',
    'ls',
    '```',
  ].join('\n');

  it('finds checked commands and their blocks', () => {
    const [c, ...rest] = parseChecks(doc);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({
      command: 'spillover run scenarios/x.json --reps 5',
      line: 3,
      expected: ['truth 48.95 ±0.16', '…', '│ thread  │ dm  │ 0.03 │'],
    });
    expect(() => parseChecks('```sh\nspillover run a.json\n```\nno output')).toThrow(/not followed by a ```text block/);
  });

  it('tokenises numbers and ignores column widths', () => {
    expect(numbers('user  -0.00010 ±0.00008  +5.0% [+0.5%, +9.4%] 20,000 users 1e-5')).toEqual([
      '-0.00010',
      '0.00008',
      '+5.0%',
      '+0.5%',
      '+9.4%',
      '20,000',
      '1e-5',
    ]);
    expect(skeleton('│ thread  │ dm │ 0.03 │ ###   │')).toBe(skeleton('│ thread │ dm    │ -1.0 │ -- │'));
  });

  it('matches an excerpt in order and names the drifted number', () => {
    const actual = 'truth 48.95 ±0.16\nother line\n│ thread │ dm │ 0.03 │\n';
    expect(compare(parseChecks(doc)[0]!.expected, actual).mismatches).toEqual([]);
    const stale = compare(['truth 48.7 ±0.16', '│ thread │ dm │ -1.0 │'], actual);
    expect(stale.mismatches.map((m) => m.why)).toEqual([
      'number 1 is 48.95, the document says 48.7',
      'number 1 is 0.03, the document says -1.0',
    ]);
    expect(stale.updated).toEqual(['truth 48.95 ±0.16', '│ thread │ dm │ 0.03 │']);
    expect(compare(['missing words 1'], actual).lost).toBe(1);
  });

  it('rewrites expected blocks in place', () => {
    const c = parseChecks(doc)[0]!;
    const out = rewrite(doc, [{ check: c, lines: ['a 1', 'b 2'] }]);
    expect(parseChecks(out)[0]!.expected).toEqual(['a 1', 'b 2']);
    expect(out.split('\n').slice(-3)).toEqual(['```sh', 'ls', '```']);
  });
});

describe('documents against the program', { timeout: 600_000 }, async () => {
  const docs = DOCS.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
  const checks = docs.map((d) => parseChecks(d.text));
  const commands = [...new Set(checks.flat().map((c) => c.command))];
  // two at a time, each command once
  const outputs = new Map<string, Output>();
  let next = 0;
  const lane = async () => {
    while (next < commands.length) {
      const c = commands[next++]!;
      outputs.set(c, await run(c));
    }
  };
  await Promise.all([lane(), lane()]);
  if (process.env['DOCS_TIMES']) for (const [c, o] of outputs) console.log(`${(o.ms / 1000).toFixed(1)} s  ${c}`);

  const update = !!process.env['UPDATE_DOCS'];
  it.each(docs.map((d, i) => [d.path, i] as const))('%s', (path, i) => {
    const doc = docs[i]!;
    const list: Check[] = checks[i]!;
    expect(list.length, `${path} has no checked command`).toBeGreaterThan(0);
    const failures: string[] = [];
    const blocks: { check: Check; lines: string[] }[] = [];
    for (const c of list) {
      const o = outputs.get(c.command)!;
      if (o.code !== 0) {
        failures.push(
          `${path}:${c.line}: ${c.command}\n  exit ${o.code ?? o.signal} after ${o.ms} ms\n  ${o.err.trim().split('\n').slice(-5).join('\n  ')}`,
        );
        continue;
      }
      const r = compare(c.expected, o.out);
      blocks.push({ check: c, lines: r.updated });
      if (update && r.lost)
        console.warn(`${path}:${c.line}: ${r.lost} line(s) had no like in the output; replaced by position: check them`);
      for (const m of r.mismatches)
        failures.push(
          `${path}:${c.line}: ${c.command}\n  ${m.why}\n  document: ${m.expected}\n  output:   ${m.actual ?? '(end of output)'}`,
        );
    }
    if (update && blocks.length) {
      writeFileSync(join(root, path), rewrite(doc.text, blocks));
      return;
    }
    expect(
      failures.length,
      `${failures.length} difference(s); if deliberate: UPDATE_DOCS=1 npx vitest run test/docs\n\n${failures.join('\n\n')}\n`,
    ).toBe(0);
  });
});
