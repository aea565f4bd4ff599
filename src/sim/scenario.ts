// Scenario files: read from disk, then validated (schema in parse-scenario.ts,
// kept apart so the browser build can use it without node:fs).
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { parseScenario, type Scenario } from './parse-scenario.js';

export * from './parse-scenario.js';

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
