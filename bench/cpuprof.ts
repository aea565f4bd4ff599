// Self time by function from a V8 CPU profile (`node --cpu-prof`), as shares
// of the sampled time, optionally within a window of the run: the figures
// quoted with the profiles in bench/README.md.
//   node dist/bench/cpuprof.js FILE.cpuprofile [--from 5] [--to 60] [--top 25] [--by function|file]
// --from / --to are seconds since the profile started (e.g. skip the set-up).
import { readFileSync } from 'node:fs';
import { args } from './_common.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file || file.startsWith('--')) {
  process.stderr.write('usage: node dist/bench/cpuprof.js FILE.cpuprofile [--from s] [--to s] [--top n] [--by function|file]\n');
  process.exit(2);
}
const a = args(process.argv.slice(3));
const from = Number(a.get('from') ?? 0) * 1e6;
const to = Number(a.get('to') ?? Infinity) * 1e6;
const top = Number(a.get('top') ?? 25);
const byFile = a.get('by') === 'file';

const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const label = new Map<number, string>();
for (const { id, callFrame: f } of p.nodes) {
  const where = f.url.replace(/^.*\/dist\//, '').replace(/^file:\/\//, '');
  label.set(
    id,
    byFile
      ? where || `(${f.functionName || 'native'})`
      : `${f.functionName || '(anonymous)'} ${where ? `${where}:${f.lineNumber + 1}` : ''}`.trim(),
  );
}
const self = new Map<string, number>();
let t = 0;
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  // each sample is charged the interval up to the next one
  t += p.timeDeltas[i]!;
  const dt = p.timeDeltas[i + 1] ?? 0;
  if (t < from || t >= to) continue;
  const k = label.get(p.samples[i]!)!;
  self.set(k, (self.get(k) ?? 0) + dt);
  total += dt;
}
const rows = [...self].sort((x, y) => y[1] - x[1]).slice(0, top);
console.log(
  JSON.stringify(
    {
      profile: file,
      windowSeconds: [from / 1e6, Math.min(to, t) / 1e6],
      sampledSeconds: +(total / 1e6).toFixed(2),
      self: rows.map(([k, us]) => ({ what: k, seconds: +(us / 1e6).toFixed(2), share: +((100 * us) / total).toFixed(1) })),
    },
    null,
    2,
  ),
);
