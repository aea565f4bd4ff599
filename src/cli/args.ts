// Shared argument parsers for CLI commands.
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { parseSize } from '../input-file.js';
import { MAX_WORKERS } from '../sim/admission.js';

export function intArg(name: string, min: number, max = Infinity) {
  return (v: string) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${v}"`);
    if (x > max) throw new InvalidArgumentError(`${name} must be at most ${max}, got "${v}"`);
    return x;
  };
}

/** --workers: 1..MAX_WORKERS (more than the cores is only warned about, by admit). */
export const workersArg = intArg('--workers', 1, MAX_WORKERS);

/** --workers for commands that run replications: a count, or "auto" (the default). */
export type WorkersChoice = number | 'auto';

/**
 * Adds --workers <n|auto> (opts.workers). "auto" starts one worker and adds
 * one per further core only while the measured work left is worth a thread's
 * start (see ParallelOptions.grow), so the default is never much slower than
 * --workers 1 on a short run; a number is used as given.
 */
export function workersOption(cmd: Command, what: string): Command {
  const parse = (v: string): WorkersChoice => {
    if (v === 'auto') return 'auto';
    try {
      return workersArg(v);
    } catch (e) {
      throw new InvalidArgumentError(`${(e as Error).message} (or "auto", the default)`);
    }
  };
  return cmd.option(
    '--workers <n|auto>',
    `${what}; auto: one, then up to one per core once the measured work left is worth starting another and the load average shows an idle core`,
    parse,
    'auto' as WorkersChoice,
  );
}

/** The thread count and whether it may grow, for a --workers choice. */
export function resolveWorkers(w: WorkersChoice): { workers: number; grow: boolean } {
  return w === 'auto' ? { workers: availableParallelism(), grow: true } : { workers: w, grow: false };
}

/** A size such as 8G, 512M or bytes, in bytes. */
export function sizeArg(name: string) {
  return (v: string) => {
    const b = parseSize(v);
    if (b === undefined) throw new InvalidArgumentError(`${name} must be a size such as 8G, 512M or a number of bytes, got "${v}"`);
    return b;
  };
}

/** Adds --max-memory <size> (opts.maxMemory, bytes; undefined: admission's default share of the machine). */
export function maxMemoryOption(cmd: Command): Command {
  return cmd.option(
    '--max-memory <size>',
    'refuse runs estimated to need more memory than this (e.g. 8G, 512M; default 75% of physical memory or of the cgroup limit)',
    sizeArg('--max-memory'),
  );
}
