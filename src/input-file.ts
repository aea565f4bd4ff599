// Input files are checked with stat before they are read: only regular files
// below a size limit, so /dev/zero, a FIFO or a directory is refused with a
// message instead of blocking or reading without end (issue 13).
import { readFileSync, statSync } from 'node:fs';
import { UserError } from './errors.js';

const UNITS: Record<string, number> = { '': 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** Bytes from "8G", "512M", "1.5g", "64KiB", "100000"; undefined when not a size. */
export function parseSize(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(v);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

/** "18 GB", "512 MB", "3 KB": binary units, short. */
export function formatBytes(b: number): string {
  for (const [u, s] of [
    ['T', 2 ** 40],
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const) {
    if (b >= s) {
      const x = b / s;
      return `${x >= 10 ? Math.round(x) : x.toFixed(1)} ${u}B`;
    }
  }
  return `${Math.round(b)} bytes`;
}

/** The kinds of input file and their size limits; each can be raised by its environment variable. */
export const FILE_LIMITS = {
  // edge lists are read in chunks; other graph-side files whole (WHOLE_TEXT_LIMIT)
  graph: { env: 'SPILLOVER_MAX_GRAPH_FILE', bytes: 16 * 2 ** 30 },
  scenario: { env: 'SPILLOVER_MAX_SCENARIO_FILE', bytes: 16 * 2 ** 20 },
  results: { env: 'SPILLOVER_MAX_RESULTS_FILE', bytes: 256 * 2 ** 20 },
} as const;
export type FileKind = keyof typeof FILE_LIMITS;

export function fileLimit(kind: FileKind): number {
  const { env, bytes } = FILE_LIMITS[kind];
  const v = process.env[env];
  if (v === undefined || v === '') return bytes;
  const b = parseSize(v);
  if (b === undefined) throw new UserError(`${env}="${v}" is not a size (e.g. 2G, 512M or bytes)`, 'EARG');
  return b;
}

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  ENOTDIR: 'a folder on the path is not a folder',
  ELOOP: 'too many symbolic links',
};

/** Why a path cannot be opened, from an fs error: "ENOENT (no such file)". */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (!code) return (e as Error).message ?? String(e);
  return WHY[code] ? `${code} (${WHY[code]})` : code;
}

/** How a message names the file: `label` after "cannot read", `field` (a scenario field) before it. */
export interface FileName {
  label?: string;
  field?: string;
}

/** Size of `path` after checking it is a regular file within the limit of its kind. */
export function checkInputFile(path: string, kind: FileKind, name: FileName = {}): number {
  const label = `${name.field ? `${name.field}: ` : ''}cannot read ${name.label ?? path}`;
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new UserError(`${label}: ${ioReason(e)}`, 'EFILE');
  }
  if (!st.isFile()) {
    const what = st.isDirectory()
      ? 'a directory'
      : st.isFIFO()
        ? 'a FIFO (named pipe)'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
    throw new UserError(`${label}: it is ${what}; only regular files are read`, 'EFILE');
  }
  const limit = fileLimit(kind);
  if (st.size > limit)
    throw new UserError(
      `${label}: ${formatBytes(st.size)} exceeds the ${formatBytes(limit)} limit for ${kind} files (raise it with ${FILE_LIMITS[kind].env}=SIZE)`,
      'EFILE',
    );
  return st.size;
}

/** A UTF-8 input file after checkInputFile, without a byte-order mark. */
/** Node holds a string of at most 2^29 characters: files read whole (GML, labels, covariates, scenarios) stay below this. */
export const WHOLE_TEXT_LIMIT = 512 * 2 ** 20;

export function readInputText(path: string, kind: FileKind, name: FileName = {}): string {
  const bytes = checkInputFile(path, kind, name);
  if (bytes > WHOLE_TEXT_LIMIT)
    throw new UserError(
      `${name.field ? `${name.field}: ` : ''}cannot read ${name.label ?? path}: ${formatBytes(bytes)}; files of this kind are read whole, at most ${formatBytes(WHOLE_TEXT_LIMIT)} (edge lists are read in chunks and may be larger)`,
      'EFILE',
    );
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${name.field ? `${name.field}: ` : ''}cannot read ${name.label ?? path}: ${ioReason(e)}`, 'EFILE');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
