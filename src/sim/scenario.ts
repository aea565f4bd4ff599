// Scenario files: JSON validated by zod. Unknown keys are errors (a typo
// must not be silently ignored) and every message names the field.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../errors.js';

const prob = z.number().min(0).max(1);
const openProb = z.number().gt(0, 'must be > 0 (one arm would be empty)').lt(1, 'must be < 1 (one arm would be empty)');
const posInt = z.number().int().positive();

const sbm = z
  .strictObject({
    generator: z.literal('sbm'),
    sizes: z.array(posInt).min(1).optional(),
    blocks: posInt.optional(),
    blockSize: posInt.optional(),
    pIn: prob,
    pOut: prob,
  })
  .refine((g) => g.sizes !== undefined || (g.blocks !== undefined && g.blockSize !== undefined), {
    message: 'give either "sizes" (a list of block sizes) or both "blocks" and "blockSize"',
  });
const wattsStrogatz = z.strictObject({ generator: z.literal('watts-strogatz'), n: posInt, k: posInt, beta: prob });
const torus = z.strictObject({
  generator: z.literal('torus'),
  side: z.number().int().min(3),
  radius: posInt.default(1),
  longRangeMean: z.number().min(0).default(1),
  exponent: z.number().min(0).default(2),
  tail: z.number().gt(1).default(2.5),
});
const barabasiAlbert = z.strictObject({ generator: z.literal('barabasi-albert'), n: posInt, m: posInt });
export const graphSchema = z.discriminatedUnion('generator', [sbm, wattsStrogatz, torus, barabasiAlbert]);

const size = z.tuple([z.number().int().min(3), z.number().int().min(3)]).refine(([a, b]) => a <= b, 'range must be [min, max] with min <= max');
export const threadsSchema = z.strictObject({
  meanThreadsPerUser: z.number().positive(),
  smallSizes: size.default([3, 8]),
  largeSizes: size.default([20, 50]),
  largeShare: prob.default(0.05),
});

const clustering = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('louvain'), resolution: z.number().positive().default(1) }),
  z.strictObject({ method: z.literal('blocks') }),
  z.strictObject({ method: z.literal('attribute'), attribute: z.string().min(1) }),
]);
const name = z.string().min(1).optional();
export const designSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('user-bernoulli'), name, p: openProb }),
  z.strictObject({ type: z.literal('user-complete'), name, p: openProb }),
  z.strictObject({ type: z.literal('thread'), name, p: openProb }),
  z.strictObject({ type: z.literal('cluster'), name, p: openProb, clustering }),
]);

export const modelSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('linear-in-means'),
    alpha: z.number().default(0),
    beta: z.number(),
    gamma: z.number(),
    sigma: z.number().min(0).default(1),
  }),
]);

export const estimatorIds = ['dm', 'cluster-dm', 'ht', 'hajek'] as const;

export const scenarioSchema = z.strictObject({
  name: z.string().default('scenario'),
  description: z.string().optional(),
  seed: z.union([z.number().int(), z.string()]).default(1),
  replications: z.number().int().min(2).default(200),
  alpha: z.number().gt(0).lt(1).default(0.05),
  graph: graphSchema,
  threads: threadsSchema.optional(),
  model: modelSchema,
  designs: z.array(designSchema).min(1),
  estimators: z.array(z.enum(estimatorIds)).min(1).default([...estimatorIds]),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type GraphSpec = z.infer<typeof graphSchema>;

function fieldPath(path: PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') || '(top level)';
}

/** Validate a parsed JSON value; throws UserError listing every problem by field. */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const r = scenarioSchema.safeParse(value);
  if (r.success) {
    const names = new Set<string>();
    r.data.designs.forEach((d, i) => {
      const n = d.name ?? (d.type === 'cluster' ? `cluster:${d.clustering.method}` : d.type);
      if (names.has(n)) throw new UserError(`${source}: designs[${i}]: design name "${n}" is used twice; give each design a distinct "name"`, 'ESCENARIO');
      names.add(n);
    });
    return r.data;
  }
  const lines = r.error.issues.map((i) => `  ${fieldPath(i.path)}: ${i.message}`);
  throw new UserError(`${source} is not a valid scenario:\n${lines.join('\n')}`, 'ESCENARIO');
}

export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read scenario file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'EFILE');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path} is not valid JSON: ${(e as Error).message}`, 'ESCENARIO');
  }
  return parseScenario(value, path);
}
