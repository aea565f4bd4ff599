// Thread-level design: each group thread is treated with probability p and
// the feature is on in it for all members. A user's dose is the share of
// their threads that are treated. Users in no thread get a unit of their own
// so that every user has a well-defined, positive chance of each world
// (otherwise the global effect would not be identified for them).
import { UserError } from '../errors.js';
import { z } from 'zod';
import { openProb } from '../schema-common.js';
import { drawScheme, type Design, type DesignContext, type Units } from './design.js';
import { name, type DesignKind } from './schema.js';

export function threadDesign(ctx: DesignContext, opts: { name: string; p: number }): Design {
  const { threads, csr } = ctx.graph;
  if (!threads || threads.count === 0) {
    throw new UserError(
      `design "${opts.name}": thread-level randomization needs group threads; add a "threads" section to the scenario`,
      'EDESIGN',
    );
  }
  const n = csr.n;
  const offsets = new Uint32Array(n + 1);
  let extra = 0;
  for (let i = 0; i < n; i++) {
    const k = threads.userOffsets[i + 1]! - threads.userOffsets[i]!;
    if (k === 0) extra++;
    offsets[i + 1] = offsets[i]! + Math.max(k, 1);
  }
  const list = new Uint32Array(offsets[n]!);
  let single = threads.count;
  for (let i = 0; i < n; i++) {
    const a = threads.userOffsets[i]!;
    const b = threads.userOffsets[i + 1]!;
    if (a === b) list[offsets[i]!] = single++;
    else list.set(threads.userThreads.subarray(a, b), offsets[i]!);
  }
  const units: Units = { count: threads.count + extra, offsets, list, partition: false };
  const scheme = { kind: 'bernoulli', p: opts.p } as const;
  return {
    name: opts.name,
    type: 'thread',
    p: opts.p,
    units,
    structure: { kind: 'fixed', scheme, threadUnits: threads.count },
    drawUnits: (rng, out) => drawScheme(scheme, rng, out),
  };
}

const threadSchema = z.strictObject({ type: z.literal('thread'), name, p: openProb });
export const threadKind: DesignKind<typeof threadSchema> = {
  type: 'thread',
  schema: threadSchema,
  defaultName: (s) => s.type,
  create: (ctx, s, name) => threadDesign(ctx, { name, p: s.p }),
};
