// spillover serve: the interactive page (built by "npm run build:web" into
// dist/web) from a tiny static server on localhost. The page runs the
// simulation in the browser's Web Workers; the server only sends files.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
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

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
}

/** Stat without following a final symlink; undefined when it does not exist. */
async function lstatOrNone(file: string) {
  try {
    return await lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * The real path of the file a request names, when it is a regular file inside
 * `root` (after resolving every symlink); undefined otherwise. Directories map
 * to their index.html. Special files (FIFOs, sockets, devices) are never opened.
 */
async function resolveFile(root: string, file: string): Promise<string | undefined> {
  const first = await lstatOrNone(file);
  if (!first) return undefined;
  let real = await realpath(file);
  if (real !== root && !real.startsWith(root + sep)) return undefined;
  let st = await stat(real);
  if (st.isDirectory()) {
    if (!(await lstatOrNone(join(real, 'index.html')))) return undefined;
    real = await realpath(join(real, 'index.html'));
    if (!real.startsWith(root + sep)) return undefined;
    st = await stat(real);
    // a directory named index.html is a broken site: let it surface as a 500 below
    if (st.isDirectory()) return real;
  }
  return st.isFile() ? real : undefined;
}

/** Serve `dir` read-only; resolves once listening (port 0 picks a free port). */
export async function serveStatic(dir: string, port = 5173, host = '127.0.0.1'): Promise<Server> {
  const root = await realpath(resolve(dir));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    let file: string;
    try {
      file = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    } catch {
      file = '';
    }
    if (file !== root && !file.startsWith(root + sep)) {
      answer(res, 403, 'forbidden');
      return;
    }
    const real = await resolveFile(root, file);
    if (!real) {
      answer(res, 404, 'not found');
      return;
    }
    const body = await readFile(real); // EISDIR and other file-system errors go to the 500 below
    res.writeHead(200, {
      'content-type': TYPES[extname(real)] ?? 'application/octet-stream',
      'content-length': String(body.length),
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      try {
        process.stderr.write(`serve: ${req.method ?? '?'} ${req.url ?? '?'}: ${e instanceof Error ? e.message : String(e)}\n`);
        answer(res, 500, 'internal server error');
      } catch {
        res.destroy();
      }
    });
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
