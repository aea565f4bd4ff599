// Where a scenario's data files (graph, labels, covariates) are read from,
// and their checks before reading: a refusal names the scenario field, the
// path as written and the path it resolved to.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInputFile } from '../input-file.js';
import type { Scenario } from './parse-scenario.js';

// Relative paths are read from the working directory, then from the package
// root, so the shipped scenarios find the shipped data/ from anywhere.
// (Resolved lazily: generated graphs never touch the file system.)
export function dataPath(p: string): string {
  if (isAbsolute(p) || existsSync(p)) return p;
  const here = dirname(fileURLToPath(import.meta.url)); // src/sim or dist/src/sim
  const root = existsSync(resolve(here, '../../package.json')) ? resolve(here, '../..') : resolve(here, '../../..');
  const alt = resolve(root, p);
  return existsSync(alt) ? alt : p;
}

/** The resolved path of a scenario field's file, after checking it is a regular file within the graph file limit; returns its size too. */
export function dataFile(field: string, p: string): { path: string; bytes: number } {
  const path = dataPath(p);
  const label = `"${p}" (resolved to ${resolve(path)})`;
  return { path, bytes: checkInputFile(path, 'graph', { field, label }) };
}

/** Every data file a scenario names, by field. */
export function dataFields(s: Scenario): { field: string; file: string }[] {
  const g = s.graph;
  const out: { field: string; file: string }[] = [];
  if ('file' in g) {
    out.push({ field: 'graph.file', file: g.file });
    if (g.labels) out.push({ field: 'graph.labels.path', file: g.labels.path });
  }
  if (g.covariates) out.push({ field: 'graph.covariates', file: g.covariates });
  return out;
}
