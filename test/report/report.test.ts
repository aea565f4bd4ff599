// The HTML report: numbers identical to the JSON results, charts inline,
// nothing fetched from elsewhere, and the CLI commands that write it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportHtml } from '../../src/report/report.js';
import { writeReport } from '../../src/report/write.js';
import { fmt } from '../../src/report/html.js';
import { main } from '../../src/cli/main.js';
import type { Diagnosis } from '../../src/sim/summary.js';
import { countItems } from '../helpers/svg.js';
import { smallRun, smallScenario } from '../helpers/small-run.js';

/** Every number cell of the diagnosis tables: design, estimator, metric, field, exact value, shown text. */
function cells(html: string) {
  const out: { design: string; estimator: string; metric: string; field: string; exact: string; text: string }[] = [];
  const rowRe = /<tr data-design="([^"]*)" data-estimator="([^"]*)" data-metric="([^"]*)">(.*?)<\/tr>/g;
  for (const [, design, estimator, metric, body] of html.matchAll(rowRe)) {
    for (const [, field, exact, text] of body!.matchAll(/<td class="num" data-field="(\w+)" data-value="([^"]*)"[^>]*>([^<]*)<\/td>/g)) {
      out.push({ design: design!, estimator: estimator!, metric: metric!, field: field!, exact: exact!, text: text! });
    }
  }
  return out;
}

describe('run report', async () => {
  const { results, rows } = smallRun();
  const json = JSON.parse(JSON.stringify(results)) as typeof results; // what --json writes
  const html = await reportHtml(json, rows);

  it('shows every diagnosand of every design x estimator exactly as in the JSON', () => {
    const found = cells(html);
    // the fixture's truth is the same every replication: no SD(err) column (it would equal SD)
    expect(json.diagnosis.every((d) => d.truthSE === 0)).toBe(true);
    const fields: (keyof Diagnosis)[] = ['truth', 'mean', 'bias', 'biasSE', 'sd', 'rmse', 'meanSE', 'coverage', 'power', 'undefinedShare'];
    expect(found.length).toBe(json.diagnosis.length * fields.length);
    for (const d of json.diagnosis) {
      for (const f of fields) {
        const c = found.find((x) => x.design === d.design && x.estimator === d.estimator && x.metric === d.metric && x.field === f)!;
        const want = d[f] as number | null;
        expect(c.exact === 'null' ? null : Number(c.exact)).toBe(want);
        const pct = ['coverage', 'power', 'undefinedShare'].includes(f);
        expect(c.text).toBe(fmt(want, pct ? 'pct' : 'num'));
      }
    }
  });

  it('lists the undefined replications of each row by reason, as counted in the JSON', () => {
    const undef = json.diagnosis.filter((d) => d.undefinedReasons.length > 0);
    expect(undef.length).toBeGreaterThan(0);
    for (const d of undef) {
      for (const r of d.undefinedReasons) expect(html).toContain(`<span data-reason="${r.reason}" data-count="${r.count}">`);
      const n = d.undefinedReasons.reduce((s, r) => s + r.count, 0);
      expect(n).toBe(Math.round(d.undefinedShare * d.replications));
    }
    expect(html).toContain("<th>mean share of a user's friends in their own unit</th>");
  });

  it('shows the SD of the errors when the truth varies by replication', async () => {
    const varying = { ...json, diagnosis: json.diagnosis.map((d) => ({ ...d, truthSE: 0.01 })) };
    const found = cells(await reportHtml(varying, rows));
    expect(found.filter((c) => c.field === 'sdError').length).toBe(json.diagnosis.length);
  });

  it('shows the user-level bias with its sign', () => {
    const user = json.diagnosis.find((d) => d.design === 'user' && d.estimator === 'dm')!;
    expect(user.bias!).toBeLessThan(0);
    expect(html).toContain(`data-value="${user.bias}" title="${user.bias}">${user.bias!.toFixed(3)}</td>`);
  });

  it('is one self-contained file: inline SVG charts, no scripts or external resources', () => {
    expect((html.match(/<svg /g) ?? []).length).toBe(3); // estimates, bias-SD, coverage
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(http/);
    const urls = [...html.matchAll(/(?:src|href)="([^"#][^"]*)"/g)].map((m) => m[1]);
    expect(urls).toEqual([]);
    // one histogram rect per non-empty bin of each design x estimator
    expect(countItems(html, 'rect mark')).toBeGreaterThan(json.diagnosis.length);
  });

  it('without rows says so instead of drawing the distributions', async () => {
    const bare = await reportHtml(json, null);
    expect((bare.match(/<svg /g) ?? []).length).toBe(2);
    expect(bare).toContain('needs the per-replication rows');
  });

  it('adds lift by day and a readout table when the results carry them', async () => {
    const withDays = {
      ...json,
      byDay: [{ metric: 'calls', points: [0, 1, 2].map((day) => ({ series: 'user', day, lift: 1 / (day + 1) })) }],
      readout: [{ title: 'Readout', columns: ['metric', 'lift'], rows: [['calls', 0.05]] }],
    };
    const page = await reportHtml(withDays, rows);
    expect(page).toContain('Lift by day: calls');
    expect(page).toContain('<table class="readout">');
    expect(countItems(page.slice(page.indexOf('id="days-calls"')), 'point')).toBe(3);
  });
});

describe('report and sweep commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spillover-report-'));

  it('spillover report results.json -o report.html recomputes the rows and matches the saved numbers', async () => {
    const { results } = smallRun();
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2));
    const code = await main(['node', 'spillover', 'report', join(dir, 'results.json'), '-o', join(dir, 'r.html'), '--quiet']);
    expect(code).toBe(0);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    const bias = results.diagnosis.find((d) => d.design === 'blocks' && d.estimator === 'dm')!.bias;
    expect(html).toContain(`data-value="${bias}"`);
  });

  it('spillover run --report writes the report of that run (worker pool, compiled workers)', async () => {
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...smallScenario(), replications: 12 }));
    const out = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main([
        'node',
        'spillover',
        'run',
        join(dir, 'run.json'),
        '--workers',
        '1',
        '--quiet',
        '--json',
        join(dir, 'run-results.json'),
        '--report',
        join(dir, 'run.html'),
      ]);
    } finally {
      process.stdout.write = out;
    }
    expect(code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'run-results.json'), 'utf8')) as { diagnosis: Diagnosis[] };
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    for (const d of saved.diagnosis) expect(html).toContain(`data-field="rmse" data-value="${d.rmse}"`);
  });

  it('writeReport writes the same page', async () => {
    const { results, rows } = smallRun();
    await writeReport(results, rows, join(dir, 'sub', 'w.html'));
    // Vega numbers clip paths with a process-wide counter (unique ids within a page)
    const norm = (s: string) => s.replace(/clip\d+/g, 'clip');
    const same = norm(readFileSync(join(dir, 'sub', 'w.html'), 'utf8')) === norm(await reportHtml(results, rows));
    expect(same).toBe(true);
  });

  it('a results file that is not one gets a clear message', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"x": 1}');
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => {
      err.push(s);
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'spillover', 'report', join(dir, 'bad.json'), '-o', join(dir, 'x.html')])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toMatch(/is not a results file/);
  });

  it('spillover sweep writes the CSV and the chart page', async () => {
    const s = { ...smallScenario(), replications: 10 };
    writeFileSync(join(dir, 's.json'), JSON.stringify(s));
    const code = await main([
      'node',
      'spillover',
      'sweep',
      join(dir, 's.json'),
      '--vary',
      'model.gamma=0,0.5',
      '--out',
      join(dir, 's.csv'),
      '--chart',
      join(dir, 's.html'),
      '--workers',
      '1',
      '--quiet',
    ]);
    expect(code).toBe(0);
    const csv = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(1 + 2 * 5); // two values x (user: dm, hajek; blocks: dm, cluster-dm, hajek)
    const page = readFileSync(join(dir, 's.html'), 'utf8');
    expect(page).toContain('Sweep of model.gamma');
    expect((page.match(/<svg /g) ?? []).length).toBe(1);
  });
});

describe('product cases: lift by day and the readout', async () => {
  const { parseScenario } = await import('../../src/sim/parse-scenario.js');
  const { productReadouts, readoutExtras } = await import('../../src/report/product.js');
  const { runSerial } = await import('../../src/sim/run.js');
  const scenario = parseScenario({
    name: 'calls-small',
    seed: 3,
    replications: 4,
    graph: { generator: 'sbm', blocks: 8, blockSize: 50, pIn: 0.15, pOut: 0.003 },
    threads: { meanThreadsPerUser: 3, smallSizes: [3, 8], largeSizes: [10, 20], largeShare: 0.05 },
    model: { type: 'group-calls', horizon: 10, spillover: true },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'thread', name: 'thread', p: 0.5 },
    ],
    estimators: ['dm'],
  });
  const readouts = productReadouts(scenario)!;
  const extras = readoutExtras(readouts);
  const { results, rows } = runSerial(scenario);
  const html = await reportHtml(results, rows, extras);

  it('has one readout per design and one table row per metric, then the lesson', () => {
    expect(readouts.map((r) => r.design.name)).toEqual(['user', 'thread']);
    expect(extras.readout!.length).toBe(3);
    expect(extras.readout![0]!.rows.length).toBe(readouts[0]!.rows.length);
    // the lesson: carried by the first readout, a row per metric, truth and (difference, recovered) per design
    const lesson = extras.readout![2]!;
    expect(lesson.title).toMatch(/^The lesson/);
    expect(lesson.rows.length).toBe(readouts[0]!.rows.length);
    expect(lesson.columns.length).toBe(4 + 2 * 2);
    expect(readouts[0]!.lesson!.designs.map((d) => d.name)).toEqual(['user', 'thread']);
    expect(readouts[1]!.lesson).toBeNull();
    // the thread column of the lesson is what the thread readout reads
    readouts[0]!.lesson!.rows.forEach((m, k) => expect(m.reads[1]!.diff).toBeCloseTo(readouts[1]!.rows[k]!.diff, 12));
    expect(
      productReadouts({ ...scenario, model: { type: 'linear-in-means', alpha: 0, beta: 1, gamma: 0, sigma: 1, homophily: 0 } } as never),
    ).toBeNull();
  });

  it('draws a point per design and day with a defined lift, and the true lift as a reference line', async () => {
    const fig = html.slice(html.indexOf('<figure id="days-'));
    const svg = fig.slice(0, fig.indexOf('</figure>'));
    const defined = readouts.reduce((s, r) => s + r.novelty.byDay.filter((c) => Number.isFinite(c.rel)).length, 0);
    expect(countItems(svg, 'point')).toBe(defined);
    expect(svg).toContain('red dashed: true lift over all 10 days');
    const primary = readouts[0]!.rows.find((r) => r.role === 'primary')!;
    expect(countItems(svg, 'rule mark')).toBe(2); // zero and the true lift
    expect(svg).toContain(`lift (relative): ${primary.truthRel >= 0 ? '+' : '−'}`);
    expect(primary.truthRel).toBeGreaterThan(0);
    expect(html).toContain('<a href="#product-readout">product readout</a>');
    expect((html.match(/<table class="readout">/g) ?? []).length).toBe(3);
  });
});
