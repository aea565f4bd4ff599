// Property-based fuzz test of the built CLI (issue 13): the shipped scenarios,
// shrunk so a valid case runs in a second or two, are mutated (types changed,
// required fields deleted, numbers huge, tiny, zero, negative, non-integer,
// "NaN"/null/1e999, prototype keys at any level, special files as paths,
// control characters and ANSI escapes in names, a UTF-8 BOM) and so are the
// flags (--reps, --workers, --seed, --max-memory). Every case must either be
// refused (exit 2, one "spillover: " message, no stack trace) or succeed
// (exit 0, results JSON with finite numbers only); never a signal, never the
// time limit, never more than the memory cap. The seed is fixed, so a failure
// replays: fast-check prints the counterexample and its path.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = process.env.SPILLOVER_FUZZ_BIN ?? join(root, 'dist/src/cli/bin.js');
// Fixed, so CI is deterministic; set SPILLOVER_FUZZ_SEED / SPILLOVER_FUZZ_RUNS
// to explore further (SPILLOVER_FUZZ_BIN: another build of the CLI).
const SEED = Number(process.env.SPILLOVER_FUZZ_SEED ?? 20_260_413);
const NUM_RUNS = Number(process.env.SPILLOVER_FUZZ_RUNS ?? 100);
/** per case, wall time (the child is killed after it: a hang fails) */
const LIMIT_S = 20;
/** max RSS of one case, checked when /usr/bin/time exists */
const RSS_CAP_KB = 1.5 * 1024 * 1024;
const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);
const haveTimeout = spawnSync('timeout', ['--version']).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'spillover-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Special files a path may be replaced with.
const aDirectory = join(dir, 'a-directory');
mkdirSync(aDirectory);
const fifo = join(dir, 'fifo');
const haveFifo = spawnSync('mkfifo', [fifo]).status === 0;
const SPECIAL_FILES = ['/dev/zero', '/dev/urandom', '/dev/null', aDirectory, join(dir, 'missing.txt'), ...(haveFifo ? [fifo] : [])];

// ---------------------------------------------------------------------------
// JSON with values JSON.stringify cannot write: `Raw` is emitted verbatim
// (1e999 parses to Infinity), and keys are written by hand from the object's
// own keys, so "__proto__" inserted with defineProperty is a real key in the file.

class Raw {
  constructor(readonly text: string) {}
}
type Json = null | boolean | number | string | Raw | Json[] | { [k: string]: Json };

function toText(v: Json): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(toText).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${toText(v[k]!)}`)}}`;
  return JSON.stringify(v);
}

function setOwn(o: { [k: string]: Json }, k: string, v: Json) {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

type Path = (string | number)[];

function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object' && !(v instanceof Raw)) for (const k of Object.keys(v)) paths(v[k]!, [...at, k], out);
  return out;
}

function get(v: Json, p: Path): Json {
  return p.reduce<Json>((x, k) => (x as Record<string | number, Json>)[k]!, v);
}

const isObject = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Raw);

function put(doc: Json, p: Path, v: Json) {
  const parent = get(doc, p.slice(0, -1));
  const k = p[p.length - 1]!;
  if (Array.isArray(parent)) parent[k as number] = v;
  else setOwn(parent as { [k: string]: Json }, k as string, v);
}

// ---------------------------------------------------------------------------
// The shipped scenarios, shrunk: the mutations are what is tested, and a
// valid mutant must run within the time limit on a busy machine.

const shipped = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ name: f, json: JSON.parse(readFileSync(join(root, 'scenarios', f), 'utf8')) as { [k: string]: Json } }));

function shrink(s: { [k: string]: Json }, second: number): { [k: string]: Json } {
  const c = JSON.parse(JSON.stringify(s)) as Record<string, Record<string, Json> & { designs: Json[] }>;
  const g = c.graph as Record<string, Json>;
  if (g.generator === 'sbm') {
    if (typeof g.blocks === 'number') g.blocks = Math.min(g.blocks, 8);
    if (typeof g.blockSize === 'number') g.blockSize = Math.min(g.blockSize, 25);
  }
  if (g.generator === 'torus') g.side = Math.min(g.side as number, 12);
  // (data files stay relative: they resolve from the package root)
  const m = c.model as Record<string, Json>;
  if (typeof m.horizon === 'number') m.horizon = Math.min(m.horizon, 7);
  const designs = c.designs as unknown as Record<string, Json>[];
  const keep = [designs[0]!, ...(designs.length > 1 ? [designs[1 + (second % (designs.length - 1))]!] : [])];
  for (const d of keep) if (typeof d.k === 'number') d.k = Math.min(d.k, 3);
  (c as Record<string, unknown>).designs = keep;
  return c as unknown as { [k: string]: Json };
}

/** Parts no shipped scenario has, grafted like theirs: options at their smallest or edge values. */
const EXTRA: Record<string, Json[]> = {
  designs: [
    { type: 'mixture', name: 'extra mixture', p: 0.5, k: 1, clustering: { method: 'one-hop-max' } },
    { type: 'ego-cluster', name: 'extra ego', p: 0.5, minDegree: 0 },
    { type: 'ego-cluster', name: 'extra ego bounded', p: 0.5, minDegree: 3, maxDegree: 2 },
    { type: 'user-complete', name: 'extra tiny p', p: 1e-9 },
    { type: 'rgcr', name: 'extra rgcr', p: 0.999, clustering: { method: 'net', radius: 2 } },
  ],
  estimators: [
    { estimator: 'ht', name: 'extra ht', draws: 20, batches: 20 },
    { estimator: 'hajek', name: 'extra hajek', draws: 20, batches: 2, exposure: { kind: 'fractional', q: 1e-9 } },
    { estimator: 'hajek', name: 'extra hajek q1', exposure: { kind: 'fractional', q: 1 } },
    { estimator: 'saturation', effect: 'spillover', saturation: 0.25 },
  ],
  threads: [{ meanThreadsPerUser: 1e-9 }, { meanThreadsPerUser: 50, smallSizes: [3, 3], largeSizes: [100, 100], largeShare: 1 }],
  graph: [
    { generator: 'watts-strogatz', n: 50, k: 2, beta: 1 },
    { generator: 'barabasi-albert', n: 50, m: 1 },
    { generator: 'torus', side: 2 },
    { generator: 'sbm', blocks: 1, blockSize: 3, pIn: 0, pOut: 0 },
  ],
  model: [
    { type: 'linear-in-means', beta: 1e6, gamma: -1e6, sigma: 0 },
    { type: 'ugander-yin', tau: 0 },
  ],
};

// ---------------------------------------------------------------------------
// Mutations

const HOSTILE: Json[] = [
  1e9,
  1e12,
  1e308,
  -1e308,
  new Raw('1e999'),
  new Raw('-1e999'),
  5e-324,
  1e-300,
  1e-9,
  0,
  -0,
  -1,
  -1e9,
  0.5,
  1.5,
  2.5,
  3.7,
  'NaN',
  'Infinity',
  null,
  'x',
  '',
  '1',
  true,
  false,
  [],
  [1],
  {},
  { a: 1 },
];
/** model parameters and probabilities scaled: often still valid, so the run's numbers are checked */
const FACTORS = [0, -1, 1e-6, 0.5, 2, 10, 1e3, 1e6, 1e100, 1e300];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
const PROTO_VALUES: Json[] = [{}, { polluted: true }, { toString: 1, valueOf: 'x' }, 1, null, 'x', []];
const CONTROL = ['\u001b[31mred\u001b[0m', '\u001b]0;title\u0007', 'a\u0000b', 'line\nbreak', 'tab\there', '\u202eevil', '\u009bcsi', '\r'];
const FILE_TARGETS = ['graph.file', 'graph.labels', 'graph.covariates', 'scenario'] as const;

type Mutation =
  | { kind: 'set'; at: number; value: Json }
  | { kind: 'scale'; at: number; factor: number }
  | { kind: 'small'; at: number; value: number }
  | { kind: 'graft'; from: number; key: string; at: number }
  | { kind: 'delete'; at: number }
  | { kind: 'proto'; at: number; key: string; value: Json }
  | { kind: 'control'; at: number; text: string }
  | { kind: 'file'; target: (typeof FILE_TARGETS)[number]; file: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...HOSTILE) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('scale' as const), at: fc.nat(), factor: fc.constantFrom(...FACTORS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('small' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 2, 3) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('graft' as const),
      from: fc.nat(),
      key: fc.constantFrom('graph', 'threads', 'model', 'designs', 'estimators'),
      at: fc.nat(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('proto' as const),
      at: fc.nat(),
      key: fc.constantFrom(...PROTO_KEYS),
      value: fc.constantFrom(...PROTO_VALUES),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('control' as const), at: fc.nat(), text: fc.constantFrom(...CONTROL) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('file' as const),
      target: fc.constantFrom(...FILE_TARGETS),
      file: fc.constantFrom(...SPECIAL_FILES),
    }),
  },
);

const flagValues = {
  '--reps': ['0', '1', '-1', '1.5', '1e9', '1e308', 'NaN', 'abc', '', '0x10', '4', '33'],
  '--workers': ['0', '-1', '1.5', '300', 'NaN', 'x', '', '2', '2'],
  '--seed': ['-1', '0', '1e308', 'NaN', 'abc', '', '0x10', '9007199254740993', '\u001b[31m', '-0', '1.5'],
  '--max-memory': ['0', '1', '1K', '-5G', 'abc', 'NaN', '1e308G', '', '64M', '512M', '1.5G'],
};
type Flag = keyof typeof flagValues;
const flagMutation = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...(Object.keys(flagValues) as Flag[]))
      .chain((flag) => fc.record({ flag: fc.constant(flag), value: fc.constantFrom(...flagValues[flag]) })),
  },
);

const fuzzCase = fc.record({
  base: fc.nat({ max: shipped.length - 1 }),
  second: fc.nat(),
  // a quarter unmutated (flags aside), half one mutation, a quarter two or three
  mutations: fc.oneof(
    { weight: 1, arbitrary: fc.constant([]) },
    { weight: 2, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 3 }) },
  ),
  bom: fc.boolean(),
  reps: fc.constantFrom('2', '3'),
  flag: flagMutation,
});
type Case = typeof fuzzCase extends fc.Arbitrary<infer T> ? T : never;

/** The scenario text and the CLI's scenario argument for one case. */
function build(c: Case, file: string): { text: string; scenarioArg: string } {
  const doc = shrink(shipped[c.base]!.json, c.second) as Json;
  let scenarioArg = file;
  for (const m of c.mutations) {
    const all = paths(doc);
    if (m.kind === 'set') {
      const p = all.slice(1)[m.at % (all.length - 1)]!;
      put(doc, p, m.value);
    } else if (m.kind === 'scale') {
      // non-integers only: scaled sizes would be valid but slow, not hostile
      const floats = all.filter((p) => typeof get(doc, p) === 'number' && !Number.isInteger(get(doc, p)));
      if (floats.length === 0) continue;
      const p = floats[m.at % floats.length]!;
      put(doc, p, (get(doc, p) as number) * m.factor);
    } else if (m.kind === 'small') {
      // sizes at their edge: one block, a side of 2, radius 1, k 1, one day
      const ints = all.filter((p) => typeof get(doc, p) === 'number' && Number.isInteger(get(doc, p)) && p[0] !== 'seed');
      if (ints.length === 0) continue;
      put(doc, ints[m.at % ints.length]!, m.value);
    } else if (m.kind === 'graft') {
      // a part of another shipped scenario: a model on a graph it was not
      // written for, a design without the threads or attributes it needs...
      if (!isObject(doc)) continue;
      const from = m.from % (shipped.length + 1);
      const extra = EXTRA[m.key] ?? [];
      const part =
        from < shipped.length ? shrink(shipped[from]!.json, m.at)[m.key] : Array.isArray(doc[m.key]) ? extra : extra[m.at % extra.length];
      if (part === undefined) continue;
      const mine = doc[m.key];
      if (Array.isArray(part) && Array.isArray(mine) && mine.length > 0) {
        // one element: a design or an estimator among this scenario's
        const i = m.at % mine.length;
        const x = JSON.parse(JSON.stringify(part[m.at % part.length]!)) as Json;
        if (isObject(x) && typeof x.name === 'string') x.name = `${x.name} ${i}`;
        mine[i] = x;
      } else setOwn(doc, m.key, part);
    } else if (m.kind === 'delete') {
      const members = all.filter((p) => p.length > 0 && typeof p[p.length - 1] === 'string');
      if (members.length === 0) continue;
      const p = members[m.at % members.length]!;
      delete (get(doc, p.slice(0, -1)) as Record<string, Json>)[p[p.length - 1] as string];
    } else if (m.kind === 'proto') {
      const objects = all.filter((p) => isObject(get(doc, p)));
      setOwn(get(doc, objects[m.at % objects.length]!) as { [k: string]: Json }, m.key, m.value);
    } else if (m.kind === 'control') {
      // a name where there is one, else any string
      const strings = all.filter((p) => typeof get(doc, p) === 'string');
      const names = strings.filter((p) => p[p.length - 1] === 'name');
      const pool = names.length > 0 && m.at % 2 === 0 ? names : strings;
      if (pool.length === 0) continue;
      const p = pool[m.at % pool.length]!;
      put(doc, p, `${get(doc, p) as string}${m.text}`);
    } else if (isObject(doc)) {
      const graph = isObject(doc.graph ?? null) ? (doc.graph as { [k: string]: Json }) : undefined;
      if (m.target === 'scenario') scenarioArg = m.file;
      else if (m.target === 'graph.file') setOwn(doc, 'graph', { file: m.file, format: 'edgelist' });
      else if (graph && m.target === 'graph.labels') setOwn(graph, 'labels', { path: m.file, name: 'dept' });
      else if (graph) setOwn(graph, 'covariates', m.file);
    }
  }
  return { text: (c.bom ? '\uFEFF' : '') + toText(doc), scenarioArg };
}

// ---------------------------------------------------------------------------
// One case through the built CLI

interface Outcome {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
  seconds: number;
  rssKB?: number;
  results?: string;
}

let count = 0;
function runCase(c: Case): { outcome: Outcome; text: string; args: string[] } {
  const n = ++count;
  const file = join(dir, `case-${n}.json`);
  const json = join(dir, `case-${n}.results.json`);
  const rss = join(dir, `case-${n}.rss`);
  const { text, scenarioArg } = build(c, file);
  writeFileSync(file, text);
  const flags: Record<string, string> = { '--reps': c.reps, '--workers': '1', '--max-memory': '1G' };
  if (c.flag) flags[c.flag.flag] = c.flag.value;
  const args = ['run', scenarioArg, ...Object.entries(flags).flat(), '--quiet', '--json', json];
  const node = [process.execPath, '--max-old-space-size=1024', bin, ...args];
  // timeout(1) kills node itself (spawnSync's timeout would kill only time(1));
  // spawnSync's own limit is the backstop
  const guarded = haveTimeout ? ['timeout', '-s', 'KILL', String(LIMIT_S), ...node] : node;
  const cmd = haveTime ? [TIME, '-f', '%M', '-o', rss, ...guarded] : guarded;
  const t0 = Date.now();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', cwd: dir, timeout: (LIMIT_S + 10) * 1000, killSignal: 'SIGKILL' });
  const outcome: Outcome = {
    code: r.status,
    signal: r.signal,
    out: r.stdout ?? '',
    err: r.stderr ?? '',
    seconds: (Date.now() - t0) / 1000,
  };
  if (haveTime && existsSync(rss)) {
    const lines = readFileSync(rss, 'utf8').trim().split('\n');
    outcome.rssKB = Number(lines[lines.length - 1]);
    // "Command terminated by signal N" / "Command exited with non-zero status N"
    const killed = /terminated by signal (\d+)/.exec(lines.join('\n'));
    if (killed) outcome.signal = `signal ${killed[1]}`;
  }
  if (existsSync(json)) outcome.results = readFileSync(json, 'utf8');
  for (const f of [file, json, rss]) rmSync(f, { force: true });
  return { outcome, text, args };
}

function nonFinite(v: unknown, at = '$'): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : at;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = nonFinite(v[i], `${at}[${i}]`);
      if (bad) return bad;
    }
  } else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      const bad = nonFinite(x, `${at}.${k}`);
      if (bad) return bad;
    }
  return undefined;
}

function check(c: Case) {
  const { outcome: o, text, args } = runCase(c);
  const where = `\nargs: ${JSON.stringify(args)}\nscenario: ${text.slice(0, 2000)}\nexit ${o.code} signal ${o.signal} in ${o.seconds.toFixed(1)} s\nstderr: ${o.err.slice(0, 3000)}`;
  expect(o.signal, `killed (time limit ${LIMIT_S} s or a crash)${where}`).toBeNull();
  expect(o.code, `timed out${where}`).not.toBe(124);
  if (o.rssKB !== undefined) expect(o.rssKB, `max RSS ${o.rssKB} KB${where}`).toBeLessThan(RSS_CAP_KB);
  // no stack trace or internal error text either way
  expect(o.err, `stack trace${where}`).not.toMatch(/^\s+at /m);
  expect(o.err, `internal error${where}`).not.toMatch(/node:internal|RangeError|TypeError|ReferenceError|FATAL|Fatal|Aborted|bad_alloc/);
  if (o.code === 0) {
    expect(o.results, `exit 0 without results${where}`).toBeDefined();
    const bad = nonFinite(JSON.parse(o.results!));
    expect(bad, `non-finite number at ${bad}${where}`).toBeUndefined();
    // a name or a seed may legitimately be the string "NaN"; otherwise no non-finite text
    if (!/NaN|Infinity/.test(text + args.join(' '))) {
      expect(o.out, `non-finite text in stdout${where}`).not.toMatch(/NaN|Infinity/);
      expect(o.results, `non-finite text in results${where}`).not.toMatch(/NaN|Infinity/);
    }
  } else {
    expect(o.code, `exit code${where}`).toBe(2);
    // ours ("spillover: ") or commander's for a bad flag ("error: option ...")
    expect(o.err, `message${where}`).toMatch(/^(spillover|error): \S/m);
    // one message: whatever precedes it is warnings
    expect(o.err.split(/^(?:spillover|error): /m).length - 1, `one message${where}`).toBe(1);
  }
}

describe('fuzzed scenarios and flags through the built CLI', () => {
  it.skipIf(!existsSync(bin))(
    `${NUM_RUNS} mutants: a clear refusal or finite results, within ${LIMIT_S} s and ${RSS_CAP_KB / 1024 / 1024} GB (seed ${SEED})`,
    () => {
      if (!haveTime) console.warn(`${TIME} not found: the memory cap is not checked`);
      if (!haveFifo) console.warn('mkfifo failed: no FIFO among the special files');
      fc.assert(fc.property(fuzzCase, check), { seed: SEED, numRuns: NUM_RUNS, endOnFailure: true });
    },
    NUM_RUNS * (LIMIT_S + 10) * 1000,
  );
});
