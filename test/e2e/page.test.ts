/// <reference lib="dom" />
// The interactive page end to end in headless Chromium (Debian's chromium
// driven by playwright-core): build it with Vite, serve it on 127.0.0.1,
// let it run its default simulation, check the user-level bias against the
// closed form, and keep a screenshot; then run the group-calls product model
// and check its metric selector, its table and its user-level bias against the
// same scenario run in Node; tick Hájek and check that the far noisier
// estimator gets its own axis and every histogram row says how many values it
// shows, as in Node; and check that the graph and the charts share one colour
// map. Skips where Chromium is absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { serveStatic } from '../../src/cli/serve.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { buildGraph } from '../../src/sim/build-graph.js';
import { buildPlan } from '../../src/sim/plan.js';
import { replicator, type Row } from '../../src/sim/replicate.js';
import { diagnose } from '../../src/sim/summary.js';
import { DEFAULTS, MODELS, scenarioFor } from '../../web/presets.js';
import { histograms } from '../../src/report/bins.js';
import { histogramNote } from '../../src/report/charts/estimates.js';
import { ACROSS_COLOR, CONTROL_COLOR, TREATED_COLOR, TRUTH_COLOR } from '../../src/report/charts/style.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const SHOT = join(import.meta.dirname, '__screenshots__', 'page.png');
if (!haveChromium)
  console.warn(`test/e2e/page.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

const title = haveChromium ? 'interactive page in headless Chromium' : `interactive page (skipped: no Chromium at ${CHROMIUM})`;

describe.skipIf(!haveChromium)(title, () => {
  let out = '';
  let server: Server;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'spillover-web-'));
    const { build } = await import('vite');
    await build({
      configFile: join(import.meta.dirname, '../../web/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: out, emptyOutDir: true },
    });
    server = await serveStatic(out, 0, '127.0.0.1');
    const { chromium } = await import('playwright-core');
    // playwright gives each launch a fresh temporary profile (user data dir)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('opens on the default, runs it in workers while staying responsive, and shows the user-level bias', async () => {
    const addr = server.address();
    await page.goto(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`);
    await page.waitForFunction(() => Number(document.getElementById('progress')?.dataset.done ?? 0) > 0, null, { timeout: 30_000 });
    // the main thread answers promptly while replications run in workers
    const lag = await page.evaluate(
      () =>
        new Promise<number>((ok) => {
          const t = performance.now();
          setTimeout(() => ok(performance.now() - t), 0);
        }),
    );
    expect(lag).toBeLessThan(500);
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    expect(errors).toEqual([]);

    const cell = (design: string, estimator: string, field: string) =>
      page.$eval(`#table tr[data-design="${design}"][data-estimator="${estimator}"] td[data-field="${field}"]`, (td) =>
        Number((td as HTMLElement).dataset.value),
      );
    const bias = await cell('user', 'dm', 'bias');
    const truth = await cell('user', 'dm', 'truth');
    const clusterBias = await cell('louvain', 'dm', 'bias');
    // closed form for user-level Bernoulli: bias = -gamma * (share of users with friends)
    const { csr } = buildGraph(parseScenario(scenarioFor(DEFAULTS)));
    let isolated = 0;
    for (let i = 0; i < csr.n; i++) if (csr.offsets[i] === csr.offsets[i + 1]) isolated++;
    const expected = -DEFAULTS.gamma * (1 - isolated / csr.n);
    expect(truth).toBeGreaterThan(0);
    expect(bias).toBeLessThan(0);
    expect(Math.abs(bias - expected)).toBeLessThan(0.03); // MC SE about 0.004 at 300 replications
    expect(Math.abs(clusterBias)).toBeLessThan(0.5 * Math.abs(bias));
    expect(await page.textContent('#headline')).toMatch(/User-level randomization understates/);
    expect(await page.$$eval('#estimates svg [aria-roledescription="rect mark"]', (els) => els.length)).toBeGreaterThan(10);

    mkdirSync(join(SHOT, '..'), { recursive: true });
    await page.screenshot({ path: SHOT, fullPage: true });
    expect(existsSync(SHOT)).toBe(true);
  }, 90_000);

  it('draws the graph, and cluster randomization cuts the friendships across arms', async () => {
    const across = async () => Number(/(\d+)% of friendships/.exec((await page.textContent('#graph-caption')) ?? '')?.[1]);
    await page.click('#design-tabs button[data-design="user"]');
    await page.waitForFunction(() => document.getElementById('graph-caption')?.textContent?.startsWith('user:'));
    const user = await across();
    await page.click('#design-tabs button[data-design="louvain"]');
    await page.waitForFunction(() => document.getElementById('graph-caption')?.textContent?.startsWith('louvain:'));
    const louvain = await across();
    expect(user).toBeGreaterThan(40);
    expect(louvain).toBeLessThan(user / 2);
    const inked = await page.$eval('#graph', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n / (d.length / 4);
    });
    expect(inked).toBeGreaterThan(0.05);
  });

  it('runs group calls: one metric at a time, and user-level randomization under-states the lift', async () => {
    const metric = MODELS['group-calls'].metric; // successful_group_calls_per_1k_users
    await page.check('input[name="model"][value="group-calls"]');
    // the product's designs and its spillover switch replace gamma
    expect(await page.isChecked('input[name="design"][value="thread"]')).toBe(true);
    expect(await page.isVisible('#spillover')).toBe(true);
    expect(await page.isChecked('#spillover')).toBe(true);
    expect(await page.isVisible('#gamma')).toBe(false);
    await page.selectOption('#reps', '100');
    await page.fill('#seed', '3');
    await page.click('#run');
    // a fixed seed: over seeds 1-8 the user-level bias was -20 to -25 (about 70% of the truth) with MC SE about 0.9
    await page.waitForFunction(
      () =>
        document.body.dataset.state === 'done' &&
        document.getElementById('progress')?.dataset.done === '100' &&
        document.getElementById('scenario-json')?.textContent?.includes('group-calls'),
      null,
      { timeout: 60_000 },
    );
    expect(errors).toEqual([]);

    expect(await page.inputValue('#metric')).toBe(metric);
    expect(await page.$$eval('#metric option', (os) => os.length)).toBeGreaterThan(5);
    // the scenario JSON shown on the page, run outside the browser: the same designs, estimators and numbers
    const scenario: unknown = JSON.parse((await page.textContent('#scenario-json'))!);
    const rep = replicator(buildPlan(parseScenario(scenario)));
    const rows: Row[] = [];
    for (let r = 0; r < 100; r++) rows.push(...rep(r));
    const inNode = diagnose(rows);
    const combos = (m: string) =>
      inNode
        .filter((d) => d.metric === m)
        .map((d) => `${d.design} ${d.estimator} ${m}`)
        .sort();
    const table = () =>
      page.$$eval('#table tbody tr', (trs) =>
        trs
          .map(
            (tr) => `${(tr as HTMLElement).dataset.design} ${(tr as HTMLElement).dataset.estimator} ${(tr as HTMLElement).dataset.metric}`,
          )
          .sort(),
      );
    expect(combos(metric).length).toBeGreaterThanOrEqual(5); // user, thread, louvain × dm, cluster-dm where it applies
    expect(await table()).toEqual(combos(metric));

    const cell = (design: string, estimator: string, field: string) =>
      page.$eval(`#table tr[data-design="${design}"][data-estimator="${estimator}"] td[data-field="${field}"]`, (td) =>
        Number((td as HTMLElement).dataset.value),
      );
    const truth = await cell('user', 'dm', 'truth');
    const bias = await cell('user', 'dm', 'bias');
    const se = await cell('user', 'dm', 'biasSE');
    expect(truth).toBeGreaterThan(0);
    expect(bias + 4 * se).toBeLessThan(0);
    expect(-bias).toBeGreaterThan(0.3 * truth);
    expect(Math.abs(await cell('thread', 'dm', 'bias'))).toBeLessThan(0.5 * Math.abs(bias));
    expect(await page.textContent('#headline')).toMatch(
      /User-level randomization understates the true effect on successful group calls per 1k users/,
    );

    const node = inNode.find((d) => d.design === 'user' && d.estimator === 'dm' && d.metric === metric)!;
    expect(node.truth).toBeCloseTo(truth, 9);
    expect(node.bias!).toBeCloseTo(bias, 9);

    // another metric: the table follows it
    await page.selectOption('#metric', 'group_call_participation');
    // the headline is written last, after the table and the bias/SD chart
    await page.waitForFunction(() => document.getElementById('headline')?.textContent?.includes('group call participation'));
    expect(await table()).toEqual(combos('group_call_participation'));
    expect(await page.$$eval('#tradeoff svg', (els) => els.length)).toBe(1);
  }, 90_000);

  it('ticking Hájek keeps the shared axis: the far noisier estimator gets its own, and every row says what it shows', async () => {
    await page.check('input[name="model"][value="linear-in-means"]');
    await page.check('input[name="estimator"][value="hajek"]');
    await page.selectOption('#reps', '100');
    await page.fill('#seed', '1');
    await page.click('#run');
    await page.waitForFunction(
      () =>
        document.body.dataset.state === 'done' &&
        document.getElementById('progress')?.dataset.done === '100' &&
        document.getElementById('scenario-json')?.textContent?.includes('hajek') === true &&
        !document.getElementById('scenario-json')?.textContent?.includes('group-calls'),
      null,
      { timeout: 60_000 },
    );
    expect(errors).toEqual([]);
    // the page's rows, label then note, in drawing order
    const texts = await page.$$eval('#estimates svg [aria-roledescription="text mark"]', (ts) => ts.map((t) => t.textContent ?? ''));
    const shown = new Map<string, string>();
    texts.forEach((t, i) => {
      if (/ · /.test(t) && !/shown/.test(t) && /shown/.test(texts[i + 1] ?? '')) shown.set(t, texts[i + 1]!);
    });
    // the same scenario in Node: the same notes, and Hájek under user-level randomization on its own axis
    const scenario: unknown = JSON.parse((await page.textContent('#scenario-json'))!);
    const rep = replicator(buildPlan(parseScenario(scenario)));
    const rows: Row[] = [];
    for (let r = 0; r < 100; r++) rows.push(...rep(r));
    const h = histograms(rows, 'y', 40);
    expect(h.combos.length).toBeGreaterThanOrEqual(5);
    expect([...shown.keys()].sort()).toEqual(h.combos.map((c) => c.combo).sort());
    for (const c of h.combos) expect(shown.get(c.combo)).toBe(histogramNote(c));
    const hajek = h.combos.find((c) => c.combo === 'user · hajek')!;
    expect(hajek.ownAxis).toBe(true);
    expect(shown.get('user · hajek')).toContain('own axis');
    // the shared axis is the one without Hájek's user-level row: ticking it squashes nothing
    const without = histograms(
      rows.filter((r) => !(r.design === 'user' && r.estimator === 'hajek')),
      'y',
      40,
    );
    expect(h.domain).toEqual(without.domain);
    // and the rows on it show nearly all their values (at most the 2% beyond the central 98%)
    for (const c of h.combos.filter((x) => !x.ownAxis)) expect(c.defined - c.below - c.above).toBeGreaterThanOrEqual(95);
  }, 90_000);

  it('colours mean the same in the graph and the charts', async () => {
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    // the legend's swatches are the chart colour map's treated, control and across-arm colours
    const bg = (sel: string) => page.$eval(sel, (el) => getComputedStyle(el).backgroundColor);
    expect(await bg('.sw.treated')).toBe(rgb(TREATED_COLOR));
    expect(await bg('.sw.control')).toBe(rgb(CONTROL_COLOR));
    expect(await bg('.sw.across')).toBe(rgb(ACROSS_COLOR));
    // each design tab carries its chart colour, which is never the arms', the truth's or the leaks'
    const tabs = new Map(
      await page.$$eval('#design-tabs button', (bs) =>
        bs.map((b) => [(b as HTMLElement).dataset.design!, (b as HTMLElement).dataset.color!] as const),
      ),
    );
    expect(tabs.size).toBe(2);
    for (const c of tabs.values()) expect([TREATED_COLOR, CONTROL_COLOR, TRUTH_COLOR, ACROSS_COLOR]).not.toContain(c);
    expect(new Set(tabs.values()).size).toBe(tabs.size);
    // every histogram bar is drawn in its design's tab colour
    const bars = await page.$$eval('#estimates svg [aria-roledescription="rect mark"]', (ps) =>
      ps.map((p) => [/design: ([^;]+)/.exec(p.getAttribute('aria-label') ?? '')?.[1] ?? '', p.getAttribute('fill') ?? ''] as const),
    );
    expect(bars.length).toBeGreaterThan(20);
    for (const [design, fill] of bars) expect(fill).toBe(tabs.get(design));
    // the network's users are painted in exactly the treated and control colours
    await page.click('#design-tabs button[data-design="louvain"]');
    await page.waitForFunction(() => document.getElementById('graph-caption')?.textContent?.startsWith('louvain:'));
    const painted = await page.$eval(
      '#graph',
      (c, want) => {
        const cv = c as HTMLCanvasElement;
        const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
        const counts = want.map(() => 0);
        for (let i = 0; i < d.length; i += 4)
          want.forEach(([r, g, b], k) => {
            if (d[i] === r && d[i + 1] === g && d[i + 2] === b && d[i + 3] === 255) counts[k]!++;
          });
        return counts;
      },
      [TREATED_COLOR, CONTROL_COLOR].map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))),
    );
    expect(painted[0]).toBeGreaterThan(200);
    expect(painted[1]).toBeGreaterThan(200);
  }, 60_000);
});
