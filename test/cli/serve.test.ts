// The static server behind "spillover serve": files with their types, index
// for directories, 404 for missing files, nothing outside its directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('static server: hostile folders and methods', () => {
  const root = mkdtempSync(join(tmpdir(), 'spillover-serve-bad-'));
  const site = join(root, 'site');
  let server: Server;
  let base = '';
  let fifo = '';

  beforeAll(async () => {
    mkdirSync(join(site, 'broken', 'index.html'), { recursive: true }); // a directory named index.html
    writeFileSync(join(site, 'index.html'), '<p>page</p>');
    writeFileSync(join(root, 'outside.txt'), 'OUTSIDE');
    symlinkSync('/etc/passwd', join(site, 'passwd.txt'));
    symlinkSync(join(root, 'outside.txt'), join(site, 'outside.txt'));
    symlinkSync(root, join(site, 'up'));
    symlinkSync(join(site, 'index.html'), join(site, 'inside.html'));
    const made = spawnSync('mkfifo', [join(site, 'pipe.js')], { encoding: 'utf8' });
    if (made.status === 0) fifo = join(site, 'pipe.js');
    else console.warn(`mkfifo not available (${made.error?.message ?? made.stderr}); the FIFO case is skipped`);
    server = await serveStatic(site, 0, '127.0.0.1');
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => server.close());

  it('answers 500 for a file-system error (EISDIR) and keeps serving', async () => {
    const bad = await fetch(`${base}/broken/`);
    expect(bad.status).toBe(500);
    expect(await bad.text()).not.toMatch(/EISDIR|\//);
    const good = await fetch(`${base}/`);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('<p>page</p>');
  });

  it('does not follow symlinks out of its folder', async () => {
    for (const p of ['/passwd.txt', '/outside.txt', '/up/outside.txt']) {
      const r = await fetch(base + p);
      expect(r.status, p).toBe(404);
      const text = await r.text();
      expect(text).not.toContain('root:');
      expect(text).not.toContain('OUTSIDE');
    }
    const inside = await fetch(`${base}/inside.html`); // a symlink that stays inside is fine
    expect(inside.status).toBe(200);
    expect(await inside.text()).toBe('<p>page</p>');
  });

  it('never opens a FIFO', async (ctx) => {
    if (!fifo) ctx.skip();
    const t0 = Date.now();
    const r = await fetch(`${base}/pipe.js`, { signal: AbortSignal.timeout(5000) });
    expect(r.status).toBe(404);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });

  it('answers 405 to methods other than GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await fetch(`${base}/`, { method, body: method === 'DELETE' ? undefined : 'x' });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD');
    }
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('<p>page</p>'.length));
  });
});
