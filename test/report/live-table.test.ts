// The page's diagnosis table (web/estimates-view.ts) greys rows resting on
// fewer than 30 defined replications and says how many, as the report does.
import { describe, expect, it } from 'vitest';
import { liveTable } from '../../web/estimates-view.js';
import { diagnose } from '../../src/sim/summary.js';
import type { Row } from '../../src/sim/replicate.js';

const row = (rep: number, design: string, estimate: number | null): Row => ({
  rep,
  design,
  estimator: 'dm',
  metric: 'y',
  truth: 1,
  estimate,
  se: 0.1,
  df: null,
});

describe("the page's table", () => {
  it('greys a row with fewer than 30 defined replications, with the count, and no other', () => {
    // user: 40 defined; cluster: 40 replications of which 29 defined
    const rows = Array.from({ length: 40 }, (_, r) => [row(r, 'user', 1 + r / 100), row(r, 'cluster', r < 29 ? 1 - r / 100 : null)]).flat();
    const html = liveTable(diagnose(rows), 3);
    const tr = (design: string) => new RegExp(`<tr[^>]*data-design="${design}"[^>]*>.*?</tr>`).exec(html)?.[0] ?? '';
    expect(tr('cluster')).toContain('class="few"');
    expect(tr('cluster')).toContain('data-defined="29"');
    expect(tr('cluster')).toContain('(29 replications)');
    expect(tr('user')).not.toContain('few');
    expect(tr('user')).not.toContain('replications)');
  });
});
