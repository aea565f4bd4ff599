// Plain-text results table for the terminal.
import Table from 'cli-table3';
import type { Results } from '../sim/run.js';
import type { Diagnosis } from '../sim/summary.js';

const numD = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));
const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);

/** Diagnosands resting on fewer defined replications than this are flagged (†). */
export const FEW_REPLICATIONS = 30;

const medianPositive = (xs: readonly (number | null)[]) => {
  const pos = xs.filter((x): x is number => x !== null && x > 0).sort((a, b) => a - b);
  return pos.length ? pos[pos.length >> 1]! : null;
};

/**
 * Decimals showing the median positive SD to two significant digits and the
 * median Monte Carlo SE of the bias to one (no "±0.000"), at least 3 and at most 10.
 */
export function decimalsFor(sds: readonly (number | null)[], biasSEs: readonly (number | null)[] = []): number {
  const sd = medianPositive(sds);
  const se = medianPositive(biasSEs);
  const want = Math.max(sd === null ? 0 : 1 - Math.floor(Math.log10(sd)), se === null ? 0 : -Math.floor(Math.log10(se)));
  return Math.min(10, Math.max(3, want));
}
const int = (x: number) => x.toLocaleString('en-US');
const pmD = (x: number | null, se: number | null, d = 3) =>
  x === null ? '—' : se === null ? numD(x, d) : `${numD(x, d)} ±${se.toFixed(d)}`;

export function formatResults(res: Results): string {
  const g = res.graph;
  const lines: string[] = [];
  lines.push(
    `${res.scenario.name}: ${g.nodes.toLocaleString('en-US')} users, ${g.edges.toLocaleString('en-US')} friendships (mean degree ${g.meanDegree.toFixed(1)})` +
      (g.threads !== null ? `, ${g.threads.toLocaleString('en-US')} group threads (${g.meanThreadsPerUser!.toFixed(2)} per user)` : '') +
      `; ${res.scenario.replications} replications, seed ${res.scenario.seed}`,
  );
  for (const d of res.designs) {
    const w =
      d.withinClusterShare === null
        ? ''
        : `; on average ${(100 * d.withinClusterShare).toFixed(1)}% of a user's friends are in their own unit`;
    const what = d.randomClustering
      ? 'a clustering drawn at random for each replication, clusters'
      : `${d.units.toLocaleString('en-US')} units`;
    const on = d.population
      ? `; effect on ${int(d.population.users)} ${d.population.who} (users outside every unit are not randomized)`
      : '';
    lines.push(`  design ${d.name}: ${what} treated with p = ${d.p}${w}${on}`);
  }
  const metrics = [...new Set(res.diagnosis.map((x) => x.metric))];
  for (const metric of metrics) {
    const rows = res.diagnosis.filter((x) => x.metric === metric);
    // decimals for the metric's scale: its typical SD to two significant digits and its bias's MC SE to
    // one, never fewer than 3 decimals (a rate of 0.0017 must not print as 0.000 ±0.000)
    const d = decimalsFor(
      rows.map((r) => r.sd),
      rows.map((r) => r.biasSE),
    );
    const num = (x: number | null) => numD(x, d);
    const pm = (x: number | null, se: number | null) => pmD(x, se, d);
    // the SD of the errors differs from the SD only when the truth varies by replication
    const varies = rows.some((r) => r.truthSE > 0);
    const exact = res.exact?.filter((e) => e.metric === metric) ?? [];
    const exactOf = (r: (typeof rows)[number]) => {
      const e = exact.find((x) => x.design === r.design && x.estimator === r.estimator);
      if (!e) return '';
      return e.sd === null ? 'undefined' : e.sdSE ? pm(e.sd, e.sdSE) : num(e.sd);
    };
    const head = [
      'design',
      'estimator',
      'truth',
      'mean',
      'bias ±MC SE',
      'SD',
      ...(exact.length ? ['exact SD'] : []),
      ...(varies ? ['SD(err)'] : []),
      'RMSE',
      'mean SE',
      'coverage',
      'power',
      'undefined',
    ];
    const table = new Table({
      head,
      style: { head: [], border: [], compact: true },
      colAligns: head.map((_, i) => (i < 2 ? 'left' : 'right')),
    });
    const defined = (r: (typeof rows)[number]) => Math.round(r.replications * (1 - r.undefinedShare));
    // a row with no defined replication shows no diagnosand (its undefined share says why): nothing to flag
    const few = (r: (typeof rows)[number]) => defined(r) > 0 && defined(r) < FEW_REPLICATIONS;
    for (const r of rows) {
      table.push([
        r.design,
        few(r) ? `${r.estimator} †` : r.estimator,
        r.truthSE > 0 ? pm(r.truth, r.truthSE) : num(r.truth),
        num(r.mean),
        pm(r.bias, r.biasSE),
        num(r.sd),
        ...(exact.length ? [exactOf(r)] : []),
        ...(varies ? [num(r.sdError)] : []),
        num(r.rmse),
        num(r.meanSE),
        pct(r.coverage),
        pct(r.power),
        pct(r.undefinedShare),
      ]);
    }
    const noExact = exact.filter((e) => e.sd === null).map((e) => `  ${e.design} ${e.estimator}: exact SD undefined: ${e.reason}`);
    const flagged = rows.filter(few);
    const counts = flagged.map(defined);
    // one line per flagged row, or one for them all when most rows are (a short run)
    const fewNotes =
      flagged.length > 3
        ? [
            `  † ${flagged.length} rows: their diagnosands rest on ${Math.min(...counts) === Math.max(...counts) ? Math.min(...counts) : `${Math.min(...counts)}–${Math.max(...counts)}`} defined replications (fewer than ${FEW_REPLICATIONS}): read them as rough`,
          ]
        : flagged.map(
            (r) =>
              `  † ${r.design} ${r.estimator}: its diagnosands rest on ${defined(r)} defined replications (fewer than ${FEW_REPLICATIONS}): read them as rough`,
          );
    lines.push('', `metric ${metric}:`, table.toString(), ...fewNotes, ...undefinedNotes(rows), ...noExact);
  }
  const notes = res.designs.flatMap((d) => d.skipped.map((s) => `  ${s.id} not run for ${d.name}: ${s.reason}`));
  lines.push(
    '',
    'truth = global effect (everyone treated vs no one; ± its Monte Carlo SE when it varies by replication), bias = mean − truth,',
    ...res.designs.flatMap((d) =>
      d.population
        ? [
            `  for ${d.name}: the global effect averaged over its ${int(d.population.users)} ${d.population.who} only, and its estimators use those users alone,`,
          ]
        : [],
    ),
    ...res.designs.flatMap((d) =>
      (d.inquiries ?? []).map(
        (q) =>
          `  for ${d.name} ${q.estimator}: the ${q.kind} effect at saturation ${q.saturation} instead (every cluster at it; docs/designs.md),`,
      ),
    ),
    `mean SE = mean reported standard error (compare with SD${res.diagnosis.some((d) => d.truthSE > 0) ? ', or with SD(err) = SD of estimate − truth where the truth varies' : ''}),`,
    ...(res.exact?.length
      ? [
          'exact SD = SD of HT over every assignment of the design, from the exposure probabilities and potential outcomes (± its Monte Carlo SE under RGCR; spillover variance explains it),',
        ]
      : []),
    'coverage = share of 95% intervals containing the truth,',
    'power = share of replications rejecting "no effect" at the 5% level; — = no standard error for this estimator.',
    ...(res.diagnosis.some(
      (d) => (d.estimator.startsWith('ht') || d.estimator.startsWith('hajek')) && d.mean !== null && d.coverage === null,
    )
      ? [
          '  ht/hajek without coverage: no standard error, as the scenario asks ("variance": false on the entry) or where the',
          '  design lists no dependent pairs; `spillover exposure <scenario>` reports the pairs of each design.',
        ]
      : []),
    ...notes,
  );
  return lines.join('\n');
}

/** Under a metric's table: for each row with undefined replications, how many and why; then diagnosands shown as undefined, and why. */
export function undefinedNotes(rows: readonly Diagnosis[]): string[] {
  // one line per row and reason, listing the diagnosands it makes undefined
  const diagnosands = rows.flatMap((r) => {
    const byReason = new Map<string, string[]>();
    for (const u of r.undefinedDiagnosands ?? []) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.diagnosand]);
    return [...byReason].map(([reason, names]) => `  ${r.design} ${r.estimator}: ${names.join(', ')} undefined: ${reason}`);
  });
  return rows
    .filter((r) => r.undefinedReasons.length > 0)
    .map((r) => {
      const n = r.undefinedReasons.reduce((s, x) => s + x.count, 0);
      const why =
        r.undefinedReasons.length === 1
          ? r.undefinedReasons[0]!.text
          : r.undefinedReasons.map((x) => `${x.text} (${int(x.count)})`).join('; ');
      return `  ${r.design} ${r.estimator}: ${int(n)} of ${int(r.replications)} undefined: ${why}`;
    })
    .concat(diagnosands);
}
