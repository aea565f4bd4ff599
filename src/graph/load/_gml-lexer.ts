// Streaming GML tokenizer: one pass over char codes, no regex, linear time.
import { eolLength, isDecimal, lineError } from './_text.js';

/** Token kinds; `[` and `]` stand for themselves. */
export type Tok = 'end' | 'key' | 'num' | 'str' | '[' | ']';

export class GmlLexer {
  /** kind, raw text and line of the current token */
  kind: Tok = 'end';
  value = '';
  line = 1;
  private i: number;

  constructor(
    private readonly text: string,
    readonly name: string,
  ) {
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Advance to the next token and return its kind. */
  next(): Tok {
    const t = this.text;
    const len = t.length;
    let i = this.skipBlank();
    if (i >= len) return (this.kind = 'end');
    const c = t.charCodeAt(i);
    const start = i;
    if (c === 91 || c === 93) {
      this.i = i + 1;
      const k = c === 91 ? '[' : ']';
      this.value = k;
      return (this.kind = k);
    }
    if (c === 34) {
      // GML strings hold no escapes (quotes are written as &quot;) but may span lines
      const line = this.line;
      for (i++; i < len && t.charCodeAt(i) !== 34;) {
        const e = eolLength(t, i);
        if (e > 0) this.line++;
        i += e || 1;
      }
      if (i >= len) throw lineError(this.name, line, 'expected a closing " for the string opened here');
      this.value = t.slice(start + 1, i);
      this.i = i + 1;
      return (this.kind = 'str');
    }
    while (i < len && !isDelimiter(t.charCodeAt(i))) i++;
    this.value = t.slice(start, i);
    this.i = i;
    if (isKeyStart(c)) {
      for (let k = 1; k < this.value.length; k++) {
        if (!isKeyPart(this.value.charCodeAt(k))) throw this.error('a key made of letters, digits and _');
      }
      return (this.kind = 'key');
    }
    if (!isDecimal(this.value)) throw this.error('a key, number, string, [ or ]');
    return (this.kind = 'num');
  }

  /** An EFILE error at the current token: "expected <what>, got <token>". */
  error(what: string): Error {
    const got = this.kind === 'end' ? 'end of file' : JSON.stringify(this.value);
    return lineError(this.name, this.line, `expected ${what}, got ${got}`);
  }

  /** Skip whitespace and `#` comment lines, counting lines; returns the new position. */
  private skipBlank(): number {
    const t = this.text;
    const len = t.length;
    let i = this.i;
    while (i < len) {
      const e = eolLength(t, i);
      if (e > 0) {
        this.line++;
        i += e;
        continue;
      }
      const c = t.charCodeAt(i);
      if (c === 35) {
        while (i < len && eolLength(t, i) === 0) i++;
      } else if (c === 32 || c === 9 || c === 11 || c === 12) {
        i++;
      } else break;
    }
    return (this.i = i);
  }
}

function isDelimiter(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 91 || c === 93 || c === 34;
}
function isKeyStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isKeyPart(c: number): boolean {
  return isKeyStart(c) || (c >= 48 && c <= 57);
}

/** Read `key value` pairs up to the closing ]; nested lists are skipped after `each` sees them. */
export function readList(
  lx: GmlLexer,
  open: number,
  what: string,
  each: (key: string, kind: 'num' | 'str' | '[', value: string) => void,
): void {
  for (;;) {
    const t = lx.next();
    if (t === ']') return;
    if (t === 'end') throw lineError(lx.name, lx.line, `expected ] closing the ${what} opened on line ${open}, got end of file`);
    if (t !== 'key') throw lx.error('a key or ]');
    const key = lx.value;
    const v = lx.next();
    if (v !== 'num' && v !== 'str' && v !== '[') throw lx.error(`a value for ${key}`);
    each(key, v, lx.value);
    if (v === '[') skipList(lx);
  }
}

export function skipValue(lx: GmlLexer): void {
  const v = lx.next();
  if (v === '[') skipList(lx);
  else if (v !== 'num' && v !== 'str') throw lx.error('a value');
}

/** Skip to the ] matching an already-read [. */
export function skipList(lx: GmlLexer): void {
  const open = lx.line;
  for (let depth = 1; depth > 0;) {
    const t = lx.next();
    if (t === '[') depth++;
    else if (t === ']') depth--;
    else if (t === 'end') throw lineError(lx.name, lx.line, `expected ] closing the list opened on line ${open}, got end of file`);
  }
}
