// User-level designs: each user is a unit.
import { UserError } from '../errors.js';
import { z } from 'zod';
import { openProb } from '../schema-common.js';
import { drawScheme, identityUnits, type Design, type DesignContext } from './design.js';
import { name, type DesignKind } from './schema.js';

export function userBernoulli(ctx: DesignContext, opts: { name: string; p: number }): Design {
  const units = identityUnits(ctx.graph.csr.n);
  const scheme = { kind: 'bernoulli', p: opts.p } as const;
  return {
    name: opts.name,
    type: 'user-bernoulli',
    p: opts.p,
    units,
    structure: { kind: 'fixed', scheme, threadUnits: 0 },
    drawUnits: (rng, out) => drawScheme(scheme, rng, out),
  };
}

export function userComplete(ctx: DesignContext, opts: { name: string; p: number }): Design {
  const n = ctx.graph.csr.n;
  const treated = Math.round(opts.p * n);
  if (treated < 1 || treated > n - 1) {
    throw new UserError(
      `design "${opts.name}": complete randomization of ${n} users with p = ${opts.p} treats ${treated}; need at least one treated and one control user`,
      'EDESIGN',
    );
  }
  const units = identityUnits(n);
  const scheme = { kind: 'complete', treated } as const;
  return {
    name: opts.name,
    type: 'user-complete',
    p: treated / n,
    units,
    structure: { kind: 'fixed', scheme, threadUnits: 0 },
    drawUnits: (rng, out) => drawScheme(scheme, rng, out),
  };
}

const userBernoulliSchema = z.strictObject({ type: z.literal('user-bernoulli'), name, p: openProb });
export const userBernoulliKind: DesignKind<typeof userBernoulliSchema> = {
  type: 'user-bernoulli',
  schema: userBernoulliSchema,
  defaultName: (s) => s.type,
  create: (ctx, s, name) => userBernoulli(ctx, { name, p: s.p }),
};

const userCompleteSchema = z.strictObject({ type: z.literal('user-complete'), name, p: openProb });
export const userCompleteKind: DesignKind<typeof userCompleteSchema> = {
  type: 'user-complete',
  schema: userCompleteSchema,
  defaultName: (s) => s.type,
  create: (ctx, s, name) => userComplete(ctx, { name, p: s.p }),
};
