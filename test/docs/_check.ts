// Checked commands in markdown documents (issue 15). A ```sh block whose
// first line starts with `spillover ` is a checked command; the ```text block
// right after it (blank lines allowed between) holds its expected standard
// output, whole or an excerpt. A line of `…` in the expected block stands for
// lines left out. Every other line must be found in the actual output, in
// order, by its skeleton (the line with every number replaced by # and runs
// of spaces and table rules collapsed, so column widths do not matter), and
// then every number on it must be the same printed string. Runs are
// deterministic, so equality is exact.

export interface Check {
  /** the command as written, e.g. `spillover run scenarios/x.json --reps 50` */
  command: string;
  /** 1-based line of the command in the document */
  line: number;
  /** the expected block's lines, and where they sit in the document's lines (0-based, exclusive end) */
  expected: string[];
  from: number;
  to: number;
}

const FENCE = /^```(\w*)\s*$/;

/** The checked commands of a markdown document, in order. Throws on a checked command with no text block after it. */
export function parseChecks(markdown: string): Check[] {
  const lines = markdown.split('\n');
  const checks: Check[] = [];
  let i = 0;
  const block = (start: number): { lang: string; body: string[]; end: number } | null => {
    const m = FENCE.exec(lines[start] ?? '');
    if (!m) return null;
    let j = start + 1;
    while (j < lines.length && lines[j] !== '```') j++;
    if (j >= lines.length) throw new Error(`line ${start + 1}: unclosed code block`);
    return { lang: m[1]!, body: lines.slice(start + 1, j), end: j };
  };
  while (i < lines.length) {
    const b = block(i);
    if (!b) {
      i++;
      continue;
    }
    const first = b.body[0] ?? '';
    if (b.lang === 'sh' && first.startsWith('spillover ')) {
      if (b.body.length !== 1) throw new Error(`line ${i + 1}: a checked command block holds one command, found ${b.body.length} lines`);
      let j = b.end + 1;
      while (j < lines.length && lines[j]!.trim() === '') j++;
      const t = block(j);
      if (!t || t.lang !== 'text') throw new Error(`line ${i + 1}: "${first}" is not followed by a \`\`\`text block with its output`);
      checks.push({ command: first, line: i + 2, expected: t.body, from: j + 1, to: t.end });
      i = t.end + 1;
    } else i = b.end + 1;
  }
  return checks;
}

/** Numbers as printed: optional sign, digits with thousands commas, decimals, exponent, percent. */
const NUMBER = /[+\-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[+-]?\d+)?%?/g;

export const numbers = (line: string): string[] => line.match(NUMBER) ?? [];

/** A line without its numbers, spacing and rule lengths: what identifies it when numbers drift. */
export function skeleton(line: string): string {
  // numbers, bars of # and -, and table rules all become one #
  return line
    .replace(NUMBER, '#')
    .replace(/[#\-─━]+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

export const ELISION = '…';

export interface Mismatch {
  expected: string;
  /** the actual line with the same skeleton, or null when none was found */
  actual: string | null;
  why: string;
}

export interface Comparison {
  mismatches: Mismatch[];
  /** the expected block rewritten from the actual output: the same excerpt, actual lines (a line not found
   * is replaced by the actual line after the previous match: right when a table row changed its words) */
  updated: string[];
  /** lines not found by their skeleton */
  lost: number;
}

/** Compare an expected block (whole output or excerpt) with the actual output. */
export function compare(expected: string[], actualOutput: string): Comparison {
  const actual = actualOutput.replace(/\n$/, '').split('\n');
  const mismatches: Mismatch[] = [];
  const updated: string[] = [];
  let lost = 0;
  let at = 0;
  for (const e of expected) {
    if (e.trim() === ELISION) {
      updated.push(e);
      continue;
    }
    const s = skeleton(e);
    let k = at;
    while (k < actual.length && skeleton(actual[k]!) !== s) k++;
    if (k >= actual.length) {
      lost++;
      // the nearest candidate: the next actual line, to show what is printed instead
      mismatches.push({ expected: e, actual: actual[at] ?? null, why: 'no line like it in the output (after the previous matched line)' });
      if (at < actual.length) updated.push(actual[at++]!);
      continue;
    }
    const a = actual[k]!;
    updated.push(a);
    at = k + 1;
    const en = numbers(e);
    const an = numbers(a);
    const diff = en.findIndex((x, q) => x !== an[q]);
    if (diff >= 0) mismatches.push({ expected: e, actual: a, why: `number ${diff + 1} is ${an[diff]}, the document says ${en[diff]}` });
    else if (an.length !== en.length)
      mismatches.push({ expected: e, actual: a, why: `${an.length} numbers, the document has ${en.length}` });
  }
  return { mismatches, updated, lost };
}

/** The document with each check's expected block replaced (checks in document order). */
export function rewrite(markdown: string, blocks: { check: Check; lines: string[] }[]): string {
  const lines = markdown.split('\n');
  // from the last block up, so earlier line numbers stay valid
  for (const { check, lines: body } of [...blocks].sort((x, y) => y.check.from - x.check.from))
    lines.splice(check.from, check.to - check.from, ...body);
  return lines.join('\n');
}

/** The argv of a checked command: `spillover` becomes the built CLI; arguments are split on spaces (no quoting). */
export function argv(command: string): string[] {
  const words = command.trim().split(/\s+/);
  if (words[0] !== 'spillover') throw new Error(`not a spillover command: ${command}`);
  if (/["'`$|;&<>\\]/.test(command)) throw new Error(`a checked command takes plain arguments, no quoting or shell syntax: ${command}`);
  return words.slice(1);
}
