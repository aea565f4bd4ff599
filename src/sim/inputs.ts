// Content hashes of a scenario's input files (graph, labels, covariates),
// recorded in the replication file's manifest: a resume or a merge with a
// file that changed since would mix two graphs in one summary, so both
// compare hashes and refuse a mismatch naming the file.
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import type { Scenario } from './parse-scenario.js';
import { dataFields, dataFile } from './data-path.js';

export interface InputHash {
  /** the scenario field naming the file, e.g. "graph.file" */
  field: string;
  /** the path as the scenario writes it */
  file: string;
  bytes: number;
  sha256: string;
}

/** sha256 of a file read in chunks (graph files can be large). */
function sha256(path: string): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** Every input file of the scenario with its size and hash (after the same checks as reading it). */
export function inputHashes(s: Scenario): InputHash[] {
  return dataFields(s).map(({ field, file }) => {
    const { path, bytes } = dataFile(field, file);
    return { field, file, bytes, sha256: sha256(path) };
  });
}

const short = (h: string) => h.slice(0, 12);

/** The first input whose hash differs between `was` (a manifest's) and `now`, as a sentence; null when all agree. */
export function inputMismatch(was: readonly InputHash[], now: readonly InputHash[]): string | null {
  for (const n of now) {
    const w = was.find((x) => x.field === n.field);
    if (!w) return `${n.field} (${n.file}) is not recorded in it`;
    if (w.sha256 !== n.sha256)
      return `${n.field} (${n.file}) has changed since (sha256 ${short(w.sha256)}…, ${w.bytes} bytes then; ${short(n.sha256)}…, ${n.bytes} bytes now)`;
  }
  const gone = was.find((w) => !now.some((n) => n.field === w.field));
  return gone ? `it records ${gone.field} (${gone.file}), which the scenario no longer names` : null;
}

/** Refuse to continue `file` when its recorded inputs differ from the current files. */
export function checkInputs(file: string, was: readonly InputHash[], now: readonly InputHash[], action: string): void {
  const why = inputMismatch(was, now);
  if (why)
    throw new UserError(`cannot ${action} ${file}: ${why}; use the original input files, or start again with another --out`, 'EFILE');
}
