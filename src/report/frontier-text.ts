// The design frontier in the terminal: per metric, one line per
// interference level with the recommended design, and where cluster
// randomization starts to pay. Browser-safe (no Node imports).
import type { Candidate, Frontier } from '../sim/frontier.js';
import type { SweepValue } from '../sim/sweep.js';

/** Three significant digits, never NaN; small and large numbers in exponent form. */
export function sig(x: number | null, d = 3): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e5 || a < 1e-4 ? x.toExponential(d - 1) : String(Number(x.toPrecision(d)));
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(100 * x)}%`);

/** "louvain (resolution 2, 16 clusters)" for the varied design, the design's name otherwise. */
export function where(f: Frontier, design: string, cluster: SweepValue | null, units: number | null): string {
  if (cluster === null) return design;
  const knob = f.axes.clusters.path.split('.').pop() ?? 'value';
  return `${design} (${knob} ${String(cluster)}${units !== null ? `, ${units.toLocaleString('en-US')} clusters` : ''})`;
}

export const candidateText = (f: Frontier, c: Candidate) =>
  `${where(f, c.design, c.cluster, c.units)} · ${c.estimator}: RMSE ${sig(c.rmse)}, bias ${sig(c.bias)}, SD ${sig(c.sd)}, power ${pct(c.powerAll)}, coverage ${pct(c.coverage)}`;

/** The frontier as text: the rule, then per metric the recommendations and crossovers. */
export function formatFrontier(f: Frontier, head: string): string {
  const ip = f.axes.interference.path;
  const out = [head, `interference: ${ip} = ${f.axes.interference.values.join(', ')} (${f.axes.interference.what})`];
  out.push(`clusters: ${f.axes.clusters.path} = ${f.axes.clusters.values.join(', ')} (${f.axes.clusters.what}), design ${f.varied}`);
  out.push(`reference: ${f.reference} (user-level). Rule: ${f.rule}`);
  for (const metric of f.metrics) {
    out.push('', f.metrics.length > 1 || metric !== 'y' ? `metric ${metric}` : 'recommendations');
    for (const l of f.levels.filter((x) => x.metric === metric)) {
      const rec = l.recommended
        ? `recommended ${candidateText(f, l.recommended)}`
        : `no design reaches power ${f.powerMin} with valid intervals; lowest RMSE ${l.lowestRmse ? candidateText(f, l.lowestRmse) : '—'}`;
      const pays = l.comparisons.filter((c) => c.pays);
      const paysText = l.comparisons.length
        ? pays.length
          ? `${f.varied} beats ${f.reference} at ${pays.map((c) => `${String(c.cluster)}${c.units !== null ? ` (${c.units} clusters)` : ''}${c.clear ? '' : '*'}`).join(', ')}`
          : `${f.varied} does not beat ${f.reference} at any cluster value`
        : '';
      out.push(`  ${ip} = ${String(l.interference)}: ${rec}`);
      if (paysText) out.push(`    ${paysText}`);
    }
    const cross = f.crossovers.filter((c) => c.metric === metric);
    if (cross.length) out.push('  where cluster randomization starts to pay (RMSE below the user-level design from this interference on):');
    for (const c of cross) {
      const who = where(f, c.design, c.cluster, c.units);
      const text =
        c.from === null
          ? `never at the largest ${ip}`
          : c.before === null
            ? `from the smallest ${ip} tried (${String(c.from)}) on${c.clear ? '' : '*'}`
            : `from ${ip} = ${String(c.from)} on (not at ${String(c.before)})${c.clear ? '' : '*'}`;
      out.push(`    ${who}: ${text}`);
    }
  }
  out.push('', '* within 2 Monte Carlo SEs of the user-level RMSE: more replications would be needed to be sure.');
  return out.join('\n');
}
