// The static server behind "spillover serve": files with their types, index
// for directories, 404 for missing files, nothing outside its directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { serveStatic } from '../../src/cli/serve.js';

describe('static server', () => {
  const root = mkdtempSync(join(tmpdir(), 'spillover-serve-'));
  let server: Server;
  let base = '';

  beforeAll(async () => {
    mkdirSync(join(root, 'site', 'assets'), { recursive: true });
    writeFileSync(join(root, 'site', 'index.html'), '<p>page</p>');
    writeFileSync(join(root, 'site', 'assets', 'a.js'), 'export {}');
    writeFileSync(join(root, 'secret.txt'), 'SECRET');
    server = await serveStatic(join(root, 'site'), 0, '127.0.0.1');
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => server.close());

  it('listens on loopback and serves the index and assets with their types', async () => {
    expect((server.address() as { address: string }).address).toBe('127.0.0.1');
    const index = await fetch(`${base}/`);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toBe('<p>page</p>');
    expect((await fetch(`${base}/assets/a.js`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers 404 for missing files and never leaves its directory', async () => {
    expect((await fetch(`${base}/nope.js`)).status).toBe(404);
    const dots = await fetch(`${base}/%2e%2e/secret.txt`); // URL parsing folds this into /secret.txt
    expect(dots.status).toBe(404);
    const slash = await fetch(`${base}/..%2fsecret.txt`); // decodes to /../secret.txt
    expect(slash.status).toBe(403);
    expect(await slash.text()).not.toContain('SECRET');
    expect((await fetch(`${base}/%E0%A4%A`)).status).toBe(403);
  });
});
