// The readout as terminal text: metric table, novelty, segments, launch call,
// and (when computed) the lesson: every design against the truth.
import Table from 'cli-table3';
import { STABLE_WINDOW, type Contrast, type Lesson, type Readout } from './readout.js';
import { PARTS, type Days } from './readout-days.js';
import { FEW_REPLICATIONS } from './table.js';

const style = { head: [], border: [], compact: true };
const fin = (x: number) => Number.isFinite(x);
const num = (x: number) => (!fin(x) ? '—' : Math.abs(x) >= 1000 ? x.toFixed(0) : x === 0 ? '0' : x.toPrecision(4));
const pct = (x: number) => (!fin(x) ? '—' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`);
// relative when the control level exists, else absolute (marked Δ)
const change = (c: Contrast) => (fin(c.rel) ? pct(c.rel) : `Δ ${num(c.diff)}`);
const ci = (c: Contrast) => (fin(c.relLo) ? `[${pct(c.relLo)}, ${pct(c.relHi)}]` : fin(c.lo) ? `Δ [${num(c.lo)}, ${num(c.hi)}]` : '—');
const star = (c: Contrast) => (c.significant ? '*' : '');

/**
 * The text's resolution of a table's values: a value smaller in magnitude
 * than RESOLUTION × the largest |value| it is printed with (its column, or
 * its table), or, for the truth and its parts, than EVENT_RESOLUTION / users
 * (a millionth of one event per user and day: a true daily difference is a
 * count of events / users, averaged over replications), is a floating-point
 * leftover of differences of sums (s1/n − s0/n, averaged over
 * replications), printed as 0. The JSON keeps the raw values.
 */
export const RESOLUTION = 1e-9;
export const EVENT_RESOLUTION = 1e-6;
/** `xs` with the values below max(RESOLUTION × max |xs|, floor) in magnitude set to 0 (non-finite values kept). */
export function atResolution(xs: readonly number[], floor = 0): number[] {
  const top = Math.max(0, ...xs.filter(fin).map(Math.abs));
  const r = Math.max(RESOLUTION * top, floor);
  return xs.map((x) => (fin(x) && Math.abs(x) < r ? 0 : x));
}

function bar(rel: number, scale: number): string {
  if (!fin(rel) || scale <= 0) return '';
  const w = Math.round((12 * Math.min(Math.abs(rel), scale)) / scale);
  return rel >= 0 ? '#'.repeat(w) : '-'.repeat(w);
}

export function formatReadout(r: Readout): string {
  const L: string[] = [];
  L.push(
    `${r.scenario}: one experiment, design "${r.design.name}" (${r.design.type}, p = ${r.design.p}), ${r.users.toLocaleString('en-US')} users, ${r.horizon} days, seed ${r.seed}`,
  );
  if (r.design.userLevel) {
    L.push('  users are randomized one by one, so treated and control users share groups: spillover reaches the control arm');
  }
  if (r.design.threadLevel) {
    L.push(
      "  group threads are randomized: the treatment arm = users with all of their groups treated (dose 1), the control arm = users with none (dose 0); users with some of their groups treated are in neither arm's levels below (the difference is the slope in the dose)",
    );
  }

  const t = new Table({
    head: ['metric', 'role', 'control', 'treatment', 'change', '95% CI', '', 'flag', 'truth*'],
    style,
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'left', 'left', 'right'],
  });
  for (const m of r.rows) {
    const truth = fin(m.truthRel) ? pct(m.truthRel) : `Δ ${num(m.truth)}`;
    t.push([
      m.name,
      m.role,
      num(m.control),
      num(m.treatment),
      change(m),
      ci(m),
      star(m),
      m.flag === 'harm' ? 'HARM' : m.flag === 'gain' ? 'gain' : '',
      truth,
    ]);
  }
  L.push('', t.toString());
  L.push(
    "change = (treatment − control) / control, or Δ = treatment − control where the control level is 0 or — (a thread design's dose fit puts it below 0);",
  );
  L.push('* = 95% interval excludes 0 (relative intervals divide by the control level); HARM = significant move the wrong way.');
  L.push('truth* = everyone treated against no one on the same simulated users: what a real team never sees.');
  if (r.events) L.push(`${r.events.name}: control ${num(r.events.control)}, treatment ${num(r.events.treatment)} (no interval)`);

  const primary = r.rows.find((m) => m.role === 'primary')!;
  const scale = Math.max(...r.novelty.byDay.map((c) => (fin(c.rel) ? Math.abs(c.rel) : 0)));
  const nv = r.novelty;
  const nt = new Table({
    head: ['day', 'control', 'treatment', 'lift', '95% CI', '', 'truth*', 'bias'],
    style,
    colAligns: ['right', 'right', 'right', 'right', 'right', 'left', 'right', 'right'],
  });
  nv.byDay.forEach((c, d) => {
    const t = nv.truthByDay[d]!;
    nt.push([
      String(d),
      num(c.control),
      num(c.treatment),
      change(c),
      ci(c),
      bar(c.rel, scale),
      fin(t.rel) ? pct(t.rel) : `Δ ${num(t.diff)}`,
      signed(nv.biasByDay[d]!),
    ]);
  });
  // the daily series is the metric's numerator per user and day, without the metric's scale (e.g. per 1k users)
  L.push('', `novelty: ${nv.metric}'s numerator per user and day (unscaled), by day of the experiment`, nt.toString());
  L.push(
    `all ${r.horizon} days: ${pct(nv.all.rel)} ${ci(nv.all)}; after a ${r.rule.warmup}-day warm-up (days ${r.rule.warmup}–${r.horizon - 1}): ${pct(nv.afterWarmup.rel)} ${ci(nv.afterWarmup)}`,
  );
  L.push(
    `truth* = the day's true lift (all treated vs all control); bias = this design's difference − the true one, per user and day. In this one experiment the bias ${nv.stableFrom === null ? `has not stabilised for ${STABLE_WINDOW} days by the last day` : `is stable from day ${nv.stableFrom}`} (${nv.stableRule}; readout --days R gives it over R experiments).`,
  );

  if (r.adoption) {
    const a = r.adoption;
    const days = [...new Set([0, 6, 13, 20, 27, r.horizon - 1].filter((d) => d < r.horizon))];
    const at = new Table({
      head: ['adopted by day', ...days.map(String)],
      style,
      colAligns: ['left', ...days.map(() => 'right' as const)],
    });
    const shares = (c: number[]) => days.map((d) => `${(100 * c[d]!).toFixed(1)}%`);
    at.push(['treatment arm', ...shares(a.treatment)], ['control arm', ...shares(a.control)]);
    at.push(['all treated*', ...shares(a.allTreated)], ['all control*', ...shares(a.allControl)]);
    L.push(
      '',
      `adoption: share of users using the feature (adopted, not lapsed) at the end of the day (* the truth's two worlds)${r.design.threadLevel ? '; arms: users with all (dose 1) and none (dose 0) of their groups treated' : ''}`,
      at.toString(),
    );
  }

  if (r.decomposition) {
    const dc = r.decomposition;
    const H = dc.days.length;
    // every day up to two weeks, else weekly means (the last week may be shorter)
    const spans =
      H <= 14 ? dc.days.map((_, d) => [d, d + 1]) : Array.from({ length: Math.ceil(H / 7) }, (_, w) => [7 * w, Math.min(H, 7 * w + 7)]);
    const dt = new Table({
      head: [H <= 14 ? 'day' : 'days', 'truth*', 'no contagion*', 'neither*', 'contagion', 'novelty', 'bias'],
      style,
      colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right'],
    });
    const parts = ['truth', 'noContagion', 'neither', 'contagion', 'novelty', 'bias'] as const;
    const mean = (k: (typeof parts)[number], a: number, b: number) => dc.days.slice(a, b).reduce((s, x) => s + x[k], 0) / (b - a);
    // the truth's parts at the resolution of the largest of them; the bias, its own column
    const truthParts = atResolution(
      spans.flatMap(([a, b]) => parts.slice(0, 5).map((k) => mean(k, a!, b!))),
      EVENT_RESOLUTION / r.users,
    );
    const bias = atResolution(spans.map(([a, b]) => mean('bias', a!, b!)));
    spans.forEach(([a, b], w) =>
      dt.push([b! - a! === 1 ? String(a) : `${a}–${b! - 1}`, ...truthParts.slice(5 * w, 5 * w + 5).map(signed), signed(bias[w]!)]),
    );
    L.push(
      '',
      `novelty and contagion told apart: the true difference of ${nv.metric}'s numerator per user and day (all treated − all control, same draw)${H <= 14 ? '' : ', weekly means'}`,
      dt.toString(),
      "truth* = the day's true difference of the numerator per user and day (all treated − all control), absolute, not the relative lift the novelty table's truth* shows; no contagion* = the same with adoption.contagion false; neither* = also with novelty 0 (both re-simulated on the same draw).",
      `one experiment: one model draw, so every value is one draw's count of events: one event (one unit of the numerator) moves a day's value by 1/users = ${num(1 / r.users)}${H <= 14 ? '' : ` (a weekly mean by 1/(7·users) = ${num(1 / (7 * r.users))})`}; that is the counting resolution, not the noise: the design's bias also carries its assignment's noise, far larger in one experiment; readout --days R gives the mean over R draws with Monte Carlo SEs.`,
      'contagion = truth − no contagion (it holds the interaction of the two), novelty = no contagion − neither; truth = contagion + novelty + neither.',
      `bias = this design's difference − the truth, as above. Every day's values are in the readout JSON (decomposition); values below ${RESOLUTION} × the column's largest (truth and parts: the table's, or ${EVENT_RESOLUTION} / users) are printed as 0 (floating-point leftovers).`,
    );
  }

  const st = new Table({
    head: ['dimension', 'segment', 'users', 'control', 'treatment', 'lift', '95% CI', ''],
    style,
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const s of r.segments)
    st.push([
      s.dimension,
      s.label,
      s.users.toLocaleString('en-US'),
      num(s.lift.control),
      num(s.lift.treatment),
      change(s.lift),
      ci(s.lift),
      star(s.lift),
    ]);
  L.push('', `segments: ${primary.name}`, st.toString());

  if (r.lesson) L.push('', ...lessonLines(r.lesson));

  L.push('', `launch call: ${r.decision.launch ? 'LAUNCH' : 'DO NOT LAUNCH'} (rule: launch only if all three checks pass)`);
  for (const c of r.decision.checks) L.push(`  ${c.pass ? 'pass' : 'FAIL'}  ${c.rule}: ${c.detail}`);
  const gap = primary.truthRel - primary.rel;
  if (fin(gap) && Math.abs(gap) > Math.abs(primary.relHi - primary.relLo) / 2) {
    L.push(
      `  note: the true lift of ${primary.name} is ${pct(primary.truthRel)}; this design reads ${pct(primary.rel)}, ${gap > 0 ? 'under' : 'over'}-stating it beyond its own interval.`,
    );
  }
  if (r.lesson) L.push(...instead(r.lesson));
  return L.join('\n');
}

const share = (x: number) => (fin(x) ? `${(100 * x).toFixed(0)}%` : '—');
const signed = (x: number) => (!fin(x) ? '—' : `${x > 0 ? '+' : ''}${num(x)}`);

/** The lesson: the truth and every design's difference on the same simulated users, with the share of the truth each recovers. */
function lessonLines(l: Lesson): string[] {
  const t = new Table({
    head: ['metric', 'role', 'truth*', 'true change', ...l.designs.flatMap((d) => [d.name, 'recovered'])],
    style,
    colAligns: ['left', 'left', 'right', 'right', ...l.designs.flatMap(() => ['right', 'right'] as const)],
  });
  for (const m of l.rows)
    t.push([
      m.name,
      m.role,
      signed(m.truth),
      fin(m.truthRel) ? pct(m.truthRel) : '—',
      ...m.reads.flatMap((x) => [`${signed(x.diff)}${x.significant ? ' *' : '  '}`, `${share(x.share)}${x.covers ? ' ' : '†'}`]),
    ]);
  const names = l.designs.map((d) => `${d.name} (${d.type})`).join(', ');
  const out = [
    `the lesson: the same simulated users under every design of the scenario (${names}), each with its own random assignment, against the truth`,
    t.toString(),
    'truth* = all treated − all control (absolute), true change = relative to all control; under each design its difference (treatment − control;',
    "under thread designs the slope in the share of a user's groups treated), * = its 95% interval excludes 0;",
    "recovered = the design's difference / the true difference (— where the truth moves by less than 1%); † = the truth lies outside its 95% interval.",
  ];
  if (l.hidden.length) {
    const rows = l.hidden.map((h) => l.rows.find((m) => m.name === h)!);
    const read = (m: Lesson['rows'][number]) => m.reads.find((x) => x.design === l.read)!;
    out.push(
      `hidden by the "${l.read}" design: ${rows.map((m) => `${m.name} (true ${fin(m.truthRel) ? pct(m.truthRel) : `Δ ${num(m.truth)}`}, read ${signed(read(m).diff)}, ${share(read(m).share)} of it)`).join('; ')}: harms it does not flag.`,
    );
  }
  return out;
}

/** What to do instead when the read design is biased (from the lesson). */
function instead(l: Lesson): string[] {
  if (!l.biased && l.hidden.length === 0) return [];
  const read = (m: Lesson['rows'][number]) => m.reads.find((x) => x.design === l.read)!;
  // the primary and guardrails whose truth lies outside the read design's interval, with the share it recovers
  const missed = l.rows.filter((m) => m.role !== 'secondary' && fin(read(m).share) && !read(m).covers);
  const out = [
    `  design check (simulation only): the "${l.read}" design is biased here${missed.length ? `: the truth lies outside its 95% interval for ${missed.map((m) => `${m.name} (it recovers ${share(read(m).share)} of the true change)`).join(', ')}` : ''}${l.hidden.length ? `; it hides harm in ${l.hidden.join(', ')}` : ''}.`,
    '  Its own intervals cannot show this: do not quote its sizes or trust its guardrails.',
  ];
  if (l.instead)
    out.push(
      `  instead: randomize as the "${l.instead.design}" design does (readout --design ${l.instead.design}), closest to the truth on these users (its interval holds the truth for ${l.instead.covered} of the ${l.instead.of} metrics with a share), and take the launch call and the guardrails from it.`,
    );
  return out;
}

/** How long to run: every design's bias and RMSE of the daily series by day, over Monte Carlo replications. */
export function formatDays(x: Days): string {
  const t = new Table({
    head: ['day', 'truth*', ...x.designs.flatMap((d) => [`${d.design} bias`, 'RMSE'])],
    style,
    colAligns: ['right', 'right', ...x.designs.flatMap(() => ['right', 'right'] as const)],
  });
  // each column at its resolution: a difference of sums that is 0 in exact arithmetic prints as 0, not ±4e-19
  const truth = atResolution(x.truth, EVENT_RESOLUTION / x.users);
  // older days objects (a carried results file) have no truthSe
  const truthSe = x.truthSe ? atResolution(x.truthSe, EVENT_RESOLUTION / x.users) : null;
  const cols = x.designs.map((g) => ({
    bias: atResolution(g.bias),
    biasSe: atResolution(g.biasSe),
    rmse: atResolution(g.rmse),
    rmseSe: atResolution(g.rmseSe),
  }));
  for (let d = 0; d < x.horizon; d++)
    t.push([
      String(d),
      truthSe ? `${signed(truth[d]!)} ±${num(truthSe[d]!)}` : signed(truth[d]!),
      ...cols.flatMap((g) => [`${signed(g.bias[d]!)} ±${num(g.biasSe[d]!)}`, `${num(g.rmse[d]!)} ±${num(g.rmseSe[d]!)}`]),
    ]);
  const when = (what: string, s: number | null) =>
    s === null ? `${what} not stable for ${STABLE_WINDOW} days by the last day` : `${what} stable from day ${s}`;
  // as the run's table: fewer than FEW_REPLICATIONS replications are flagged † and read as rough
  const few = x.replications < FEW_REPLICATIONS;
  const fewDesign = (g: Days['designs'][number]) => g.replications > 0 && g.replications < FEW_REPLICATIONS;
  return [
    `how long to run: ${x.metric}'s numerator per user and day (unscaled), every design over ${x.replications} replications${few ? ' †' : ''} (those of spillover run), against the day's truth`,
    t.toString(),
    "truth* = the day's true difference (all treated − all control), mean over replications ± its Monte Carlo SE; bias = mean of (difference − truth) ± its Monte Carlo SE; RMSE ± its Monte Carlo SE.",
    `  a value below ${RESOLUTION} × its column's largest (truth*: or ${EVENT_RESOLUTION} / users, a millionth of one event per user) is printed as 0, a floating-point leftover of differences of sums; --json keeps the raw values.`,
    ...x.designs.map(
      (g) =>
        `  ${g.design} (${g.type})${!few && fewDesign(g) ? ' †' : ''}: ${when('bias', g.biasStableFrom)}, ${when('RMSE', g.rmseStableFrom)}${g.replications < x.replications ? ` (defined in ${g.replications} of ${x.replications} replications)` : ''}`,
    ),
    `  stable = ${x.rule}.`,
    ...(x.omitted?.length
      ? [`  not shown: ${x.omitted.join(', ')} (an analysis population: its truth is over that population, not every user's days)`]
      : []),
    ...(few
      ? [
          `  † ${x.replications} replications (fewer than ${FEW_REPLICATIONS}): the truth, bias, RMSE, their Monte Carlo SEs and the stable days rest on ${x.replications} replications: read them as rough`,
        ]
      : x.designs
          .filter(fewDesign)
          .map(
            (g) =>
              `  † ${g.design}: its bias, RMSE and stable days rest on ${g.replications} defined replications (fewer than ${FEW_REPLICATIONS}): read them as rough`,
          )),
  ].join('\n');
}

/** The decomposition of the daily truth over readout --days R's replications: mean ± SD/√R per day (up to 14 days) or week; '' without it. */
export function formatDaysDecomposition(x: Days): string {
  const dc = x.decomposition;
  if (!dc) return '';
  const weekly = x.horizon > 14;
  const t = new Table({
    head: [
      weekly ? 'days' : 'day',
      'truth*',
      'no contagion*',
      'neither*',
      'contagion',
      'novelty',
      ...x.designs.map((g) => `${g.design} bias`),
    ],
    style,
    colAligns: ['right', 'right', 'right', 'right', 'right', 'right', ...x.designs.map(() => 'right' as const)],
  });
  // the truth's parts at the resolution of the largest of them (means), and of the largest SE
  const floor = EVENT_RESOLUTION / x.users;
  const means = atResolution(
    dc.spans.flatMap((s) => PARTS.map((p) => s[p].mean)),
    floor,
  );
  const ses = atResolution(
    dc.spans.flatMap((s) => PARTS.map((p) => s[p].se)),
    floor,
  );
  const k = PARTS.length;
  const G = x.designs.length;
  const biasMeans = atResolution(dc.spans.flatMap((s) => s.bias.map((b) => b.mean)));
  const biasSes = atResolution(dc.spans.flatMap((s) => s.bias.map((b) => b.se)));
  dc.spans.forEach((s, w) =>
    t.push([
      s.to - s.from === 1 ? String(s.from) : `${s.from}–${s.to - 1}`,
      ...PARTS.map((_, j) => `${signed(means[k * w + j]!)} ±${num(ses[k * w + j]!)}`),
      ...s.bias.map((_, j) => `${signed(biasMeans[G * w + j]!)} ±${num(biasSes[G * w + j]!)}`),
    ]),
  );
  const few = dc.replications < FEW_REPLICATIONS;
  return [
    `novelty and contagion told apart over ${dc.replications} replications${few ? ' †' : ''} (those of spillover run): the true difference of ${x.metric}'s numerator per user and day (all treated − all control, same draw)${weekly ? ', weekly means' : ''}, mean ± Monte Carlo SE (SD/√R)`,
    t.toString(),
    "truth* = the day's true difference (all treated − all control, absolute, per user and day; its daily means are the days table's truth*); no contagion* = the same with adoption.contagion false; neither* = also with novelty 0 (re-simulated on each replication's draw).",
    'contagion = truth − no contagion (it holds the interaction of the two), novelty = no contagion − neither; truth = contagion + novelty + neither in every replication, so in the means.',
    "<design> bias = that design's difference − truth*, mean ± SE over the replications where it is defined: set it against the parts to see which of them the design misses.",
    `a value below ${RESOLUTION} × the table's largest (or ${EVENT_RESOLUTION} / users) is printed as 0; the JSON (days.decomposition) keeps every day, raw.`,
    ...(few ? [`  † ${dc.replications} replications (fewer than ${FEW_REPLICATIONS}): read the means and their SEs as rough`] : []),
  ].join('\n');
}
