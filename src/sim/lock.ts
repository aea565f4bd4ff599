// One writer per replication file: `FILE.lock` holds the writer's pid, host
// and start time. A second process on the same file is refused with the
// holder named; a lock left by a process that no longer exists (kill -9, a
// node that rebooted) is taken over. Take-over is an atomic rename of our own
// lock over the stale one, then a re-read: of two processes racing for the
// same stale lock, the one whose rename landed last holds it and the other
// sees a live holder and is refused.
import { hostname } from 'node:os';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { UserError } from '../errors.js';

interface Holder {
  pid: number;
  host: string;
  started: string;
}

export interface Lock {
  readonly path: string;
  release(): void;
}

function readHolder(path: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, started: String(h.started ?? '?') } : null;
  } catch {
    return null; // gone, or torn while being written: treated as stale
  }
}

/** Whether the holder may still be writing: alive on this host, or on another host (which we cannot ask). */
function alive(h: Holder): boolean {
  if (h.host !== hostname()) return true;
  if (h.pid === process.pid) return false; // a lock of ours left by an earlier run in this process
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
  // a recycled pid that is not a Node process cannot be our writer
  try {
    return /node|spillover/.test(readFileSync(`/proc/${h.pid}/cmdline`, 'utf8'));
  } catch {
    return true;
  }
}

const same = (a: Holder | null, b: Holder) => a !== null && a.pid === b.pid && a.host === b.host && a.started === b.started;

/** Take the lock of `file` (a replication file) or refuse, naming the process that holds it. */
export function acquireLock(file: string): Lock {
  const path = `${file}.lock`;
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const mine = `${path}.${process.pid}.${Date.now()}`;
  writeFileSync(mine, JSON.stringify(me) + '\n');
  try {
    try {
      linkSync(mine, path); // atomic: fails when a lock exists
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(path);
      if (holder && alive(holder)) throw refusal(file, path, holder);
      renameSync(mine, path); // take over the stale lock
      const now = readHolder(path);
      if (!same(now, me)) throw refusal(file, path, now ?? holder!);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot lock ${file} (${path}): ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'EFILE');
  } finally {
    try {
      unlinkSync(mine);
    } catch {
      // renamed into place
    }
  }
  return {
    path,
    release() {
      // only our own lock: a take-over by someone else is theirs
      if (same(readHolder(path), me)) unlinkSync(path);
    },
  };
}

function refusal(file: string, path: string, h: Holder): UserError {
  const where = h.host === hostname() ? `pid ${h.pid}` : `pid ${h.pid} on host ${h.host}`;
  return new UserError(
    `${file} is being written by another spillover process (${where}, since ${h.started}); wait for it to finish or stop it, then --resume. If that process no longer exists, delete ${path}`,
    'EFILE',
  );
}
