// Plain-text results table for the terminal.
import Table from 'cli-table3';
import type { Results } from '../sim/run.js';

const num = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));
const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const pm = (x: number | null, se: number | null, d = 3) => (x === null ? '—' : se === null ? num(x, d) : `${num(x, d)} ±${se.toFixed(d)}`);

export function formatResults(res: Results): string {
  const g = res.graph;
  const lines: string[] = [];
  lines.push(
    `${res.scenario.name}: ${g.nodes.toLocaleString('en-US')} users, ${g.edges.toLocaleString('en-US')} friendships (mean degree ${g.meanDegree.toFixed(1)})` +
      (g.threads !== null ? `, ${g.threads.toLocaleString('en-US')} group threads (${g.meanThreadsPerUser!.toFixed(2)} per user)` : '') +
      `; ${res.scenario.replications} replications, seed ${res.scenario.seed}`,
  );
  for (const d of res.designs) {
    const w = d.withinClusterShare === null ? '' : `, ${(100 * d.withinClusterShare).toFixed(1)}% of friendships inside a cluster`;
    const what = d.randomClustering ? 'a clustering drawn at random for each replication, clusters' : `${d.units.toLocaleString('en-US')} units`;
    lines.push(`  design ${d.name}: ${what} treated with p = ${d.p}${w}`);
  }
  const metrics = [...new Set(res.diagnosis.map((x) => x.metric))];
  for (const metric of metrics) {
    const rows = res.diagnosis.filter((x) => x.metric === metric);
    const table = new Table({
      head: ['design', 'estimator', 'truth', 'mean', 'bias ±MC SE', 'SD', 'RMSE', 'coverage', 'power', 'undefined'],
      style: { head: [], border: [], compact: true },
      colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    });
    for (const r of rows) {
      table.push([r.design, r.estimator, r.truthSE > 0 ? pm(r.truth, r.truthSE) : num(r.truth), num(r.mean), pm(r.bias, r.biasSE), num(r.sd), num(r.rmse), pct(r.coverage), pct(r.power), pct(r.undefinedShare)]);
    }
    lines.push('', `metric ${metric}:`, table.toString());
  }
  const notes = res.designs.flatMap((d) => d.skipped.map((s) => `  ${s.id} not run for ${d.name}: ${s.reason}`));
  lines.push(
    '',
    'truth = global effect (everyone treated vs no one; ± its Monte Carlo SE when it varies by replication), bias = mean − truth,',
    'coverage = share of 95% intervals containing the truth,',
    'power = share of replications rejecting "no effect" at the 5% level; — = no standard error for this estimator.',
    ...(res.diagnosis.some((d) => (d.estimator.startsWith('ht') || d.estimator.startsWith('hajek')) && d.mean !== null && d.coverage === null)
      ? ['  ht/hajek without coverage: their Aronow–Samii variance was skipped because the design makes too many pairs of users',
         '  dependent (more than 10 million); `spillover exposure <scenario>` reports the count.']
      : []),
    ...notes,
  );
  return lines.join('\n');
}
