// Edge lists are read in 16 MB chunks cut after a line end: a file larger
// than one chunk, with SNAP's \r\r\n endings, a comment and a weight column,
// gives the same graph as parsing the whole text at once, and an error in
// the second chunk names its true line number.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadEdgeList, parseEdgeList } from '../../src/graph/load/index.js';

describe('edge lists read in chunks', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'spillover-chunks-'));
  // about 20 MB: more than one chunk; ids up to 2e6 so the id table is exercised past small ints
  const lines: string[] = ['# a comment'];
  let x = 12345;
  for (let k = 0; k < 1_300_000; k++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const u = x % 2_000_000;
    x = (x * 1103515245 + 12345) % 2147483648;
    lines.push(k % 7 === 0 ? `${u}\t${x % 2_000_000}\t1.5` : `${u} ${x % 2_000_000}`);
  }
  const text = '\ufeff' + lines.join('\r\r\n') + '\r\r\n';
  const file = join(dir, 'big.txt');
  writeFileSync(file, text);

  it('equals parsing the whole text', () => {
    expect(text.length).toBeGreaterThan(16 << 20);
    const whole = parseEdgeList(text, { name: 'big.txt' });
    const chunked = loadEdgeList(file);
    expect(chunked.stats).toEqual(whole.stats);
    expect(chunked.ids).toEqual(whole.ids);
    expect(chunked.csr.offsets).toEqual(whole.csr.offsets);
    expect(chunked.csr.nbrs).toEqual(whole.csr.nbrs);
  });

  it('a bad line past the first chunk is named by its line number', () => {
    const bad = [...lines];
    bad[1_200_000] = '1 2 x';
    const f = join(dir, 'bad.txt');
    writeFileSync(f, bad.join('\r\r\n') + '\r\r\n');
    expect(() => loadEdgeList(f)).toThrow(/bad\.txt line 1200001: expected two node ids/);
  });
});
