// The per-replication exposure cache: each mapping's classes (1, 0, -1 per
// user) and the users in either world, computed once per replication and
// design and read by every estimator that uses the mapping. The batch path
// fills it from the friends' dose sums it already has.
import type { RepData } from '../estimator.js';

const classesKey = (mapping: string) => `exposure:${mapping}`;
const usersKey = (mapping: string) => `exposure:${mapping}:users`;

/** Record classes and listed users already known for a mapping (e.g. 'full'). */
export function knownExposure(memo: Map<string, unknown>, mapping: string, classes: Int8Array, users: Uint32Array): void {
  memo.set(classesKey(mapping), classes);
  memo.set(usersKey(mapping), users);
}

/** A mapping's classes for this replication, computed by `classify` only if not yet known. */
export function exposureClasses(rep: RepData, mapping: string, classify: () => Int8Array): Int8Array {
  let v = rep.memo.get(classesKey(mapping)) as Int8Array | undefined;
  if (v === undefined) rep.memo.set(classesKey(mapping), (v = classify()));
  return v;
}

/** The users with class 0 or 1, in order, computed by `list` only if not yet known. */
export function exposedUsers(rep: RepData, mapping: string, list: () => Uint32Array): Uint32Array {
  let v = rep.memo.get(usersKey(mapping)) as Uint32Array | undefined;
  if (v === undefined) rep.memo.set(usersKey(mapping), (v = list()));
  return v;
}
