// Shared line and file helpers for the loaders. Lines are scanned by char
// code rather than split with regexes, so no array of lines is built.
import { basename } from 'node:path';
import { UserError } from '../../errors.js';
import { readInputText } from '../../input-file.js';

/**
 * Length of the line ending at `i`, or 0. `\n`, `\r\n`, lone `\r` and SNAP's
 * `\r\r\n` each end one line, so line numbers count records, not editor rows.
 */
export function eolLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 10) return 1;
  if (c !== 13) return 0;
  const d = text.charCodeAt(i + 1);
  if (d === 10) return 2;
  if (d === 13 && text.charCodeAt(i + 2) === 10) return 3;
  return 1;
}

/** A row handler: tokens (reused between calls), 1-based line number, raw line bounds. */
export type RowFn = (tokens: string[], line: number, start: number, end: number) => void;

/**
 * Call `row` for every line that is neither blank nor a comment (first
 * non-blank character `#` or `%`). Tokens are split on spaces and tabs.
 * Returns the number of lines seen.
 */
export function scanRows(text: string, row: RowFn): number {
  const tokens: string[] = [];
  const len = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  let line = 0;
  while (i < len) {
    line++;
    const start = i;
    tokens.length = 0;
    let comment = false;
    let tokStart = -1;
    let e = 0;
    for (; i < len; i++) {
      e = eolLength(text, i);
      if (e > 0) break;
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 11 || c === 12) {
        if (tokStart >= 0) {
          tokens.push(text.slice(tokStart, i));
          tokStart = -1;
        }
      } else if (tokStart < 0) {
        if (tokens.length === 0 && (c === 35 || c === 37)) comment = true;
        tokStart = i;
      }
    }
    const end = i;
    if (tokStart >= 0) tokens.push(text.slice(tokStart, end));
    i += e;
    if (!comment && tokens.length > 0) row(tokens, line, start, end);
  }
  return line;
}

/** The raw line, shortened for an error message. */
export function quoteLine(text: string, start: number, end: number): string {
  const s = end - start > 60 ? text.slice(start, start + 57) + '...' : text.slice(start, end);
  return JSON.stringify(s);
}

/** `<name> line <n>: <what>` as an EFILE UserError. */
export function lineError(name: string, line: number, what: string): UserError {
  return new UserError(`${name} line ${line}: ${what}`, 'EFILE');
}

/** Read a UTF-8 graph-side file (regular, within the graph file limit); failures are a UserError naming the path. */
export function readText(path: string): { text: string; name: string } {
  return { text: readInputText(path, 'graph'), name: basename(path) };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A plain decimal number such as 3, -0.5 or 1e3 (not hex, not Infinity). */
export function isDecimal(tok: string): boolean {
  return NUMBER.test(tok);
}

/**
 * Strict decimal number, or undefined: rejects "", "0x1f", "Infinity" and
 * other inputs Number() would bend. "NA" and "NaN" read as NaN (missing).
 */
export function toNumber(tok: string): number | undefined {
  if (NUMBER.test(tok)) return Number(tok);
  return tok === 'NA' || tok === 'NaN' ? NaN : undefined;
}
