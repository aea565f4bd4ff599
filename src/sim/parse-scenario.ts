// Scenario schema and validation, browser-safe (no node:fs; the page parses
// scenarios too). Scenario files are JSON validated by zod. Unknown keys are errors (a typo
// must not be silently ignored) and every message names the field.
import { z } from 'zod';
import { closest, distance } from 'fastest-levenshtein';
import { UserError } from '../errors.js';
import { designName } from '../design/index.js';
import { graphSchema, threadsSchema } from '../graph/schema.js';
import { designSchema } from '../design/index.js';
import { modelSchema } from '../model/schema.js';
import { LIMITS, boundedInt, label, text } from '../schema-common.js';
import {
  adjustedObjectSchema,
  defaultEstimators,
  estimatorIds,
  estimatorObjectSchema,
  polynomialObjectSchema,
  saturationObjectSchema,
} from '../estimate/index.js';

export const scenarioSchema = z.strictObject({
  /** the JSON Schema editors validate the file against (e.g. "../schemas/scenario.json"); ignored here */
  $schema: z.string().optional(),
  name: label.default('scenario'),
  description: text.optional(),
  seed: z.union([z.number().int(), z.string()]).default(1),
  replications: boundedInt(2, LIMITS.replications, 'run shards with --shard for more').default(200),
  alpha: z.number().gt(0).lt(1).default(0.05),
  graph: graphSchema,
  threads: threadsSchema.optional(),
  model: modelSchema,
  designs: z.array(designSchema).min(1).max(100),
  /** registry ids, objects choosing an exposure mapping for ht / hajek, a saturation design's effect at one saturation, or the degree of polynomial / snipe */
  estimators: z
    .array(z.union([z.enum(estimatorIds), estimatorObjectSchema, adjustedObjectSchema, saturationObjectSchema, polynomialObjectSchema]))
    .min(1)
    .max(100)
    .default([...defaultEstimators]),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type { GraphSpec } from '../graph/schema.js';

function fieldPath(path: PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') || '(top level)';
}

/** Validate a parsed JSON value; throws UserError listing every problem by field. */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const r = scenarioSchema.safeParse(value);
  if (r.success) {
    const names = new Set<string>();
    r.data.designs.forEach((d, i) => {
      const n = designName(d);
      if (names.has(n))
        throw new UserError(`${source}: designs[${i}]: design name "${n}" is used twice; give each design a distinct "name"`, 'ESCENARIO');
      names.add(n);
    });
    return r.data;
  }
  const lines = r.error.issues.flatMap((i) => describeIssue(i, [], '  '));
  throw new UserError(`${source} is not a valid scenario:\n${lines.join('\n')}`, 'ESCENARIO');
}

type Issue = z.core.$ZodIssue;

/**
 * One line per problem. A value that matches none of several allowed forms
 * (a generator or a file; an estimator id or an object) lists what each form
 * objected to, instead of zod's bare "Invalid input". A form that rejects a
 * string outright is reported as "one of: ...".
 */
function describeIssue(i: Issue, prefix: PropertyKey[], indent: string): string[] {
  const path = [...prefix, ...i.path];
  if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${indent}${fieldPath(path)}: unknown key "${k}"${didYouMean(k)}`);
  if (i.code !== 'invalid_union' || !('errors' in i) || i.errors.length === 0) return [`${indent}${fieldPath(path)}: ${i.message}`];
  let branches = i.errors as Issue[][];
  // drop forms that rejected the value's kind outright (a string where an
  // object is expected) when another form got further into it
  const shallow = (b: Issue[]) => b.every((j) => j.path.length === 0 && (j.code === 'invalid_type' || j.code === 'invalid_value'));
  if (branches.some((b) => !shallow(b))) branches = branches.filter((b) => !shallow(b));
  // then prefer the form the value was evidently aiming at: the one with fewest complaints
  const fewest = Math.min(...branches.map((b) => b.length));
  const close = branches.filter((b) => b.length === fewest);
  if (close.length === 1) return close[0]!.flatMap((j) => describeIssue(j, path, indent));
  return [
    `${indent}${fieldPath(path)}: matches none of the allowed forms:`,
    ...close.map((b, k) => `${indent}  form ${k + 1}: ` + b.map((j) => `${fieldPath([...path, ...j.path])}: ${j.message}`).join('; ')),
  ];
}

/** Every key the scenario schema knows anywhere (from its JSON Schema), for suggestions. */
let known: string[] | null = null;
function knownKeys(): string[] {
  if (known) return known;
  const keys = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x === null || typeof x !== 'object') return;
    const props = (x as { properties?: Record<string, unknown> }).properties;
    if (props && typeof props === 'object') for (const k of Object.keys(props)) keys.add(k);
    Object.values(x).forEach(walk);
  };
  walk(z.toJSONSchema(scenarioSchema, { unrepresentable: 'any', io: 'input' }));
  return (known = [...keys]);
}

/** ' (did you mean "beta"?)' for a key a typo away from a known one; a note when the key is known but misplaced; else ''. */
function didYouMean(key: string): string {
  if (knownKeys().includes(key)) return ' (it belongs elsewhere: not allowed here)';
  const best = closest(key, knownKeys());
  const limit = Math.max(1, Math.floor(key.length / 3));
  return best && distance(key.toLowerCase(), best.toLowerCase()) <= limit ? ` (did you mean "${best}"?)` : '';
}
