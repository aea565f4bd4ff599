// npm run schemas: writes schemas/*.json from src/sim/json-schemas.ts
// (test/sim/json-schemas.test.ts fails when the shipped files are stale).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../sim/json-schemas.js';

export const schemaText = (schema: object): string => JSON.stringify(schema, null, 2) + '\n';

const dir = join(import.meta.dirname, '../../../schemas');
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  mkdirSync(dir, { recursive: true });
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    writeFileSync(join(dir, name), schemaText(schema));
    process.stderr.write(`wrote schemas/${name}\n`);
  }
}
