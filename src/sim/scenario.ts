// Scenario files: read from disk, then validated (schema in parse-scenario.ts,
// kept apart so the browser build can use it without node:fs).
import { UserError } from '../errors.js';
import { readInputText } from '../input-file.js';
import { parseScenario, type Scenario } from './parse-scenario.js';

export * from './parse-scenario.js';

export function loadScenario(path: string): Scenario {
  // regular files within the limit only; a byte-order mark is dropped
  const text = readInputText(path, 'scenario', { label: `scenario file ${path}` });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path} is not valid JSON: ${(e as Error).message}`, 'ESCENARIO');
  }
  return parseScenario(value, path);
}
