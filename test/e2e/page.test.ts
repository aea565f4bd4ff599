/// <reference lib="dom" />
// The interactive page end to end in headless Chromium (Debian's chromium
// driven by playwright-core): build it with Vite, serve it on 127.0.0.1,
// let it run its default simulation, check the user-level bias against the
// closed form, and keep a screenshot; then run the group-calls product model
// and check its metric selector, its table and its user-level bias against the
// same scenario run in Node. Skips where Chromium is absent.
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
});
