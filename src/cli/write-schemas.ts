// npm run schemas: writes schemas/*.json from src/sim/json-schemas.ts
// (test/sim/json-schemas.test.ts fails when the shipped files are stale).
import { join } from 'node:path';
import { jsonSchemas } from '../sim/json-schemas.js';
import { writeFile } from '../report/write.js';

export const schemaText = (schema: object): string => JSON.stringify(schema, null, 2) + '\n';

const dir = join(import.meta.dirname, '../../../schemas');
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  for (const [name, schema] of Object.entries(jsonSchemas())) writeFile(join(dir, name), schemaText(schema));
}
