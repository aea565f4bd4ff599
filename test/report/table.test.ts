// The terminal table reads at the metric's scale and says when a row's
// diagnosands rest on few replications: a rate whose SD is 0.0003 prints
// with enough decimals to show it (never "0.000 ±0.000"), a metric of SD
// 0.01 keeps today's three decimals, and a row with fewer than 30 defined
// replications is marked † with the count.
import { describe, expect, it } from 'vitest';
import { decimalsFor, formatResults, FEW_REPLICATIONS } from '../../src/report/table.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { runSerial } from '../../src/sim/run.js';

describe('table numbers', () => {
  it('decimals follow the median SD: two significant digits, at least three decimals', () => {
    expect(decimalsFor([0.014, 0.02, null])).toBe(3);
    expect(decimalsFor([0.00031, 0.0004, 0.0002])).toBe(5);
    expect(decimalsFor([5.2, 3.1])).toBe(3);
    expect(decimalsFor([null])).toBe(3);
    // an SD of 0.005 alone gives 3 decimals; a bias MC SE of 0.0004 asks for a fourth (not "±0.000")
    expect(decimalsFor([0.005], [0.0004])).toBe(4);
    expect(decimalsFor([0.014], [0.002])).toBe(3);
  });

  it('a tiny-scale metric is not printed as zeros; few replications are flagged with the count', () => {
    const s = parseScenario({
      name: 'tiny',
      seed: 4,
      replications: 12,
      graph: { generator: 'sbm', blocks: 4, blockSize: 25, pIn: 0.2, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.002, gamma: 0.001, sigma: 0.001 },
      designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
      estimators: ['dm'],
    });
    const text = formatResults(runSerial(s).results);
    const row = text.split('\n').find((l) => l.includes(' user ') && l.includes('dm'))!;
    expect(row).toContain('dm †');
    expect(row).not.toMatch(/0\.000 ±0\.000/);
    expect(row).toMatch(/0\.00\d{3}/); // five decimals for an SD near 0.0002
    expect(text).toContain(`its diagnosands rest on 12 defined replications (fewer than ${FEW_REPLICATIONS})`);
  });
});

describe('HTML diagnosis table', () => {
  it('the same decimals as the terminal, and few-replication rows greyed with the count', async () => {
    const { diagnosisTable } = await import('../../src/report/html.js');
    const s = parseScenario({
      name: 'tiny',
      seed: 4,
      replications: 12,
      graph: { generator: 'sbm', blocks: 4, blockSize: 25, pIn: 0.2, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.002, gamma: 0.001, sigma: 0.001 },
      designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
      estimators: ['dm'],
    });
    const html = diagnosisTable(runSerial(s).results.diagnosis, 'y');
    expect(html).toContain('<tr class="few" data-defined="12"');
    expect(html).toContain('(12 replications)');
    expect(html).toMatch(/data-field="sd"[^>]*>0\.000\d\d</);
  });
});
