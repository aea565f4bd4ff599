// spillover serve: the interactive page (built by "npm run build:web" into
// dist/web) from a tiny static server on localhost. The page runs the
// simulation in the browser's Web Workers; the server only sends files.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { intArg } from './args.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

/** The built page: dist/web beside the compiled CLI, or under the project root when run from src/. */
export function defaultWebDir(): string {
  for (const rel of ['../../web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) return dir;
  }
  throw new UserError('no built page found (dist/web); build it with "npm run build:web"', 'EFILE');
}

/** Serve `dir` read-only; resolves once listening (port 0 picks a free port). */
export function serveStatic(dir: string, port = 5173, host = '127.0.0.1'): Promise<Server> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let file: string;
    try {
      file = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    } catch {
      file = '';
    }
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

export function registerServe(cli: Command): void {
  cli
    .command('serve')
    .description('serve the interactive page (graph, designs, live estimates) on localhost')
    .option('--port <n>', 'port', intArg('--port', 0), 5173)
    .option('--host <h>', 'address to listen on', '127.0.0.1')
    .option('--dir <dir>', 'built page directory (default: dist/web)')
    .action(async (opts: { port: number; host: string; dir?: string }) => {
      const dir = opts.dir ?? defaultWebDir();
      if (!existsSync(join(dir, 'index.html')))
        throw new UserError(`--dir ${dir} has no index.html (build the page with "npm run build:web")`, 'EFILE');
      const server = await serveStatic(dir, opts.port, opts.host);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      process.stderr.write(`spillover page on http://${opts.host}:${port}/ (Ctrl-C to stop)\n`);
      await new Promise<void>((done) => process.once('SIGINT', () => server.close(() => done())));
    });
}
