// JSON Schemas of spillover's files, for editors and for readers in other
// languages: scenarios come from the zod schema that validates them; the
// results JSON (run --json) and the replication files (--out) are described
// here in zod and checked against real outputs by test/sim/json-schemas.test.ts.
// Objects are open (extra fields allowed): a reader must not break when a
// later version adds a field.
import { z } from 'zod';
import { scenarioSchema } from './parse-scenario.js';
import { FORMAT } from './jsonl.js';

const num = z.number();
const maybe = num.nullable();
const count = z.number().int().nonnegative();

const graphInfo = z.looseObject({
  nodes: count,
  edges: count,
  meanDegree: num,
  isolated: count,
  threads: count.nullable(),
  meanThreadsPerUser: maybe,
});

const designInfo = z.looseObject({
  name: z.string(),
  type: z.string(),
  p: num,
  units: count,
  withinClusterShare: maybe.describe('mean share of a user’s friends in their own cluster; null for overlapping units'),
  randomClustering: z.boolean(),
  skipped: z.array(z.looseObject({ id: z.string(), reason: z.string() })),
  population: z.looseObject({ users: count, who: z.string() }).optional(),
  inquiries: z.array(z.looseObject({ estimator: z.string(), kind: z.enum(['direct', 'spillover']), saturation: num })).optional(),
});

const row = z
  .looseObject({
    rep: count,
    design: z.string(),
    estimator: z.string(),
    metric: z.string(),
    truth: maybe.describe('the estimand in this replication (null when not a finite number)'),
    estimate: maybe.describe('null when the estimator is undefined in this replication'),
    se: maybe,
    df: maybe.describe('null = normal intervals'),
    reason: z.string().optional().describe('why the estimate is undefined (a key of UNDEFINED_REASONS)'),
    lower: maybe.optional().describe("an estimator's own interval (wild bootstrap); null = unbounded"),
    upper: maybe.optional(),
    nullP: num.optional().describe('p-value of a test of no spillover (aei)'),
  })
  .describe('one estimate: replication x design x estimator x metric');

const diagnosis = z.looseObject({
  design: z.string(),
  estimator: z.string(),
  metric: z.string(),
  replications: count,
  truth: maybe,
  truthSE: num,
  mean: maybe,
  meanEstimateSE: maybe,
  bias: maybe,
  biasSE: maybe,
  sd: maybe,
  sdSE: maybe.describe('bootstrap over replications'),
  sdError: maybe,
  meanSE: maybe,
  meanSESE: maybe,
  rmse: maybe,
  rmseSE: maybe.describe('bootstrap over replications'),
  coverage: maybe,
  coverageSE: maybe,
  power: maybe,
  powerSE: maybe,
  undefinedShare: num,
  undefinedReasons: z.array(z.looseObject({ reason: z.string(), text: z.string(), count: count })),
  undefinedDiagnosands: z.array(z.looseObject({ diagnosand: z.string(), reason: z.string() })).optional(),
});

/** A value per experiment day (null: undefined that day, e.g. an SE from one replication). */
const daySeries = z.array(maybe);
const adoptionCurve = z.looseObject({ share: daySeries, se: daySeries, replications: count });

/** run --by-day R (src/report/readout-days.ts, Days) */
const byDay = z
  .looseObject({
    metric: z.string(),
    horizon: count,
    users: count,
    replications: count,
    truth: daySeries.describe("the day's true difference (all treated − all control), mean over the replications"),
    truthSe: daySeries.optional().describe('its Monte Carlo SE'),
    designs: z.array(
      z.looseObject({
        design: z.string(),
        type: z.string(),
        replications: count,
        bias: daySeries,
        biasSe: daySeries,
        rmse: daySeries,
        rmseSe: daySeries,
        biasStableFrom: count.nullable(),
        rmseStableFrom: count.nullable(),
        adoption: z.looseObject({ treatment: adoptionCurve, control: adoptionCurve }).optional(),
      }),
    ),
    rule: z.string(),
    omitted: z.array(z.string()).optional().describe('designs left out: those with an analysis population (ego clusters)'),
    adoption: z.looseObject({ allTreated: adoptionCurve, allControl: adoptionCurve }).optional(),
  })
  .describe("run --by-day R: every design's bias and RMSE by day over the run's first R replications, with Monte Carlo SEs");

/** run --json, merge --json */
export const resultsSchema = z
  .looseObject({
    scenario: z.looseObject({}).describe('the scenario as run (see scenario.json)'),
    graph: graphInfo,
    designs: z.array(designInfo),
    diagnosis: z.array(diagnosis),
    exact: z
      .array(
        z.looseObject({
          design: z.string(),
          estimator: z.string(),
          metric: z.string(),
          sd: maybe,
          sdSE: maybe,
          reason: z.string().nullable(),
        }),
      )
      .optional(),
    byDay: byDay.optional(),
  })
  .describe('spillover results (run --json)');

/** One line of a replication file (--out DIR): the manifest first, then one line per finished replication. */
export const replicationLineSchema = z
  .union([
    z.looseObject({
      manifest: z.looseObject({
        format: z.literal(FORMAT),
        scenarioHash: z.string(),
        seed: z.union([num, z.string()]),
        replications: count,
        shard: z.looseObject({ index: count, count: count }).nullable(),
        scenario: z.looseObject({}),
        inputs: z.array(z.looseObject({ field: z.string(), file: z.string(), bytes: count, sha256: z.string() })),
        graph: graphInfo,
        designs: z.array(designInfo),
      }),
    }),
    z.looseObject({ rep: count, rows: z.array(row) }),
  ])
  .describe('one line of a spillover replication file (JSON lines: the manifest, then one line per replication)');

type Json = { [k: string]: unknown };

/**
 * The scenario's JSON Schema. A file graph may leave out "generator": the
 * zod schema adds it before validating (a preprocess, which JSON Schema
 * cannot say), so the file form does not require it here.
 */
function scenarioJsonSchema(opts: Parameters<typeof z.toJSONSchema>[1]): Json {
  const s = z.toJSONSchema(scenarioSchema, opts) as Json;
  const graph = (s['properties'] as Record<string, Json>)['graph']!;
  for (const form of (graph['oneOf'] ?? []) as Json[]) {
    const gen = (form['properties'] as Record<string, Json> | undefined)?.['generator'];
    if (gen?.['const'] === 'file') form['required'] = (form['required'] as string[]).filter((k) => k !== 'generator');
  }
  return s;
}

/** The shipped schema files: name -> JSON Schema. */
export function jsonSchemas(): Record<string, object> {
  const opts = { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' } as const;
  return {
    'scenario.json': { ...scenarioJsonSchema(opts), title: 'spillover scenario' },
    'results.json': { ...z.toJSONSchema(resultsSchema, opts), title: 'spillover results' },
    'replication-line.json': { ...z.toJSONSchema(replicationLineSchema, opts), title: 'spillover replication file line' },
  };
}
