// Writing an output file the user named: a path that cannot be written is
// a user mistake, reported with the path and the reason, not a stack trace.
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';

export function writeOutput(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    throw new UserError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'EFILE');
  }
}

/** Check before a long run that an output's folder can be created and written. */
export function checkWritable(path: string | undefined): void {
  if (!path) return;
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UserError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'EFILE');
  }
}
