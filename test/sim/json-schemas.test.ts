// The shipped JSON Schemas (schemas/*.json, npm run schemas): equal to a
// fresh generation, and every shipped scenario, every golden results file
// and a real replication file validate against them (ajv, JSON Schema 2020-12).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import { jsonSchemas } from '../../src/sim/json-schemas.js';
import { schemaText } from '../../src/cli/write-schemas.js';
import { runParallel } from '../../src/sim/parallel.js';
import { smallScenario } from '../helpers/small-run.js';

const root = join(import.meta.dirname, '../..');
const shipped = (name: string) => JSON.parse(readFileSync(join(root, 'schemas', name), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validator = (name: string) => ajv.compile(shipped(name));
const jsonFiles = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.json'))
    .sort();

describe('JSON Schemas', () => {
  it.each(Object.keys(jsonSchemas()))('schemas/%s equals a fresh generation (else: npm run schemas)', (name) => {
    expect(readFileSync(join(root, 'schemas', name), 'utf8')).toBe(schemaText(jsonSchemas()[name]!));
  });

  it.each(jsonFiles('scenarios'))('scenarios/%s validates against schemas/scenario.json', (file) => {
    const validate = validator('scenario.json');
    const ok = validate(JSON.parse(readFileSync(join(root, 'scenarios', file), 'utf8')));
    expect(ok, JSON.stringify(validate.errors)).toBe(true);
  });

  it('the scenario schema refuses what the simulator refuses: an unknown key, p = 1', () => {
    const validate = validator('scenario.json');
    const base = JSON.parse(readFileSync(join(root, 'scenarios/default.json'), 'utf8'));
    expect(validate({ ...base, replicatons: 5 })).toBe(false);
    expect(validate({ ...base, designs: [{ type: 'user-bernoulli', p: 1 }] })).toBe(false);
  });

  it.each(jsonFiles('test/golden'))('golden results %s validate against schemas/results.json', (file) => {
    const validate = validator('results.json');
    const ok = validate(JSON.parse(readFileSync(join(root, 'test/golden', file), 'utf8')));
    expect(ok, JSON.stringify(validate.errors)).toBe(true);
  });

  it('every line of a replication file validates against schemas/replication-line.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spillover-schema-'));
    const run = await runParallel({ ...smallScenario(), replications: 3 }, { workers: 1, out });
    const lines = readFileSync(run.file!, 'utf8').trim().split('\n');
    expect(lines.length).toBe(4);
    const validate = validator('replication-line.json');
    for (const l of lines) expect(validate(JSON.parse(l)), JSON.stringify(validate.errors)).toBe(true);
  });
});
