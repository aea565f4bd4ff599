// The page: controls -> scenario JSON -> replications in Web Workers -> the
// graph with one assignment drawn, and the estimates filling in live. It runs
// the default once on load, so a learner sees the point before touching
// anything.
import type { Remote } from 'comlink';
import type { Row } from '../src/sim/replicate.js';
import { metricsOf } from '../src/report/bins.js';
import {
  DEFAULTS,
  DESIGNS,
  ESTIMATORS,
  GRAPHS,
  MODELS,
  metricLabel,
  scenarioFor,
  type Choices,
  type DesignKey,
  type GraphKey,
  type ModelKey,
} from './presets.js';
import { startRun, workerCount, type RunHandle } from './pool.js';
import { crossShare, drawGraph, layout } from './graph-view.js';
import { LiveEstimates, type MetricDiagnosis } from './estimates-view.js';
import type { DesignPicture, GraphPicture, SimApi } from './sim.worker.js';
import { ACROSS_COLOR, CONTROL_COLOR, designColor, TREATED_COLOR } from '../src/report/charts/style.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('controls');
const live = new LiveEstimates($('estimates'), $('table'), $('tradeoff'));

// one colour map for the graph, its legend and the charts
for (const [name, color] of [
  ['--treated', TREATED_COLOR],
  ['--control', CONTROL_COLOR],
  ['--across', ACROSS_COLOR],
] as const)
  document.documentElement.style.setProperty(name, color);
/** A design's colour: the charts', by the design's place in the scenario. */
function colorOf(name: string): string {
  const scale = designColor(designs.map((d) => d.name));
  return scale.range[scale.domain.indexOf(name)] ?? '#999';
}

function checkboxes(el: HTMLElement, name: string, items: [string, string][], checked: string[], type = 'checkbox'): void {
  el.innerHTML = items
    .map(
      ([v, label]) => `<label><input type="${type}" name="${name}" value="${v}"${checked.includes(v) ? ' checked' : ''}> ${label}</label>`,
    )
    .join('');
}

checkboxes(
  $('graph-choices'),
  'graph',
  Object.entries(GRAPHS).map(([k, g]) => [k, g.label]),
  [DEFAULTS.graph],
  'radio',
);
checkboxes(
  $('model-choices'),
  'model',
  Object.entries(MODELS).map(([k, m]) => [k, m.label]),
  [DEFAULTS.model],
  'radio',
);
checkboxes(
  $('design-choices'),
  'design',
  Object.entries(DESIGNS).map(([k, d]) => [k, d.label]),
  DEFAULTS.designs,
);
checkboxes($('estimator-choices'), 'estimator', Object.entries(ESTIMATORS), DEFAULTS.estimators);
$<HTMLInputElement>('gamma').value = String(DEFAULTS.gamma);
$<HTMLInputElement>('spillover').checked = DEFAULTS.spillover;
$<HTMLSelectElement>('reps').value = String(DEFAULTS.replications);
$<HTMLInputElement>('seed').value = String(DEFAULTS.seed);

function choices(): Choices {
  const all = (name: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
  return {
    graph: (all('graph')[0] ?? DEFAULTS.graph) as GraphKey,
    model: (all('model')[0] ?? DEFAULTS.model) as ModelKey,
    gamma: Number($<HTMLInputElement>('gamma').value),
    spillover: $<HTMLInputElement>('spillover').checked,
    designs: all('design') as DesignKey[],
    estimators: all('estimator'),
    replications: Number($<HTMLSelectElement>('reps').value),
    seed: Number($<HTMLInputElement>('seed').value) || 0,
  };
}

function showChoices(): void {
  const c = choices();
  const m = MODELS[c.model];
  $('gamma-out').textContent = c.gamma.toFixed(2);
  $('graph-note').textContent = GRAPHS[c.graph].note;
  $('model-note').textContent = m.note;
  $('gamma-control').hidden = m.product;
  $('spillover-control').hidden = !m.product;
  $('spillover-note').textContent = m.spilloverNote ?? '';
}
form.addEventListener('input', (e) => {
  // a new model checks the designs that tell its story (products: thread-level too)
  const t = e.target as HTMLInputElement;
  if (t.name === 'model') {
    const designs: string[] = MODELS[t.value as ModelKey].designs;
    form.querySelectorAll<HTMLInputElement>('input[name="design"]').forEach((i) => (i.checked = designs.includes(i.value)));
  }
  showChoices();
});
showChoices();

// ---- the run ----
let run: RunHandle | null = null;
let graph: GraphPicture | null = null;
let pos: Float32Array | null = null;
let preset: GraphKey = DEFAULTS.graph;
let designs: DesignPicture[] = [];
let shown = '';
let draw = 0;
let rows: Row[] = [];
let dirty = false;
let updating = false;
let t0 = 0;
/** which run the rows belong to, so a late update of a replaced run draws no headline */
let runId = 0;
let runModel: ModelKey = DEFAULTS.model;
let metric = MODELS[DEFAULTS.model].metric;
let metricList = '';
const metricSelect = $<HTMLSelectElement>('metric');

/** The metric selector, filled from the metrics the rows carry (first seen first). */
function syncMetrics(): void {
  const ms = metricsOf(rows);
  const key = ms.join('\u0000');
  if (key === metricList) return;
  metricList = key;
  if (ms.length > 0 && !ms.includes(metric)) metric = ms.includes(MODELS[runModel].metric) ? MODELS[runModel].metric : ms[0]!;
  const headlineMetric = MODELS[runModel].metric;
  metricSelect.innerHTML = ms
    .map((m) => `<option value="${m}">${metricLabel(m)}${m === headlineMetric ? ' (headline)' : ''}</option>`)
    .join('');
  metricSelect.value = metric;
  $('metric-row').hidden = ms.length < 2;
  live.metric = metric;
}
metricSelect.addEventListener('change', () => {
  metric = metricSelect.value;
  live.metric = metric;
  void refresh(document.body.dataset.state !== 'running');
});

function setState(state: 'idle' | 'running' | 'done' | 'error'): void {
  document.body.dataset.state = state;
  $<HTMLButtonElement>('stop').disabled = state !== 'running';
}

async function showAssignment(api: Remote<SimApi>): Promise<void> {
  if (!graph || !pos || !shown) return;
  let a;
  try {
    a = await api.assignment(shown, draw);
  } catch {
    return; // that run's workers were stopped; the picture stays as it was
  }
  drawGraph($<HTMLCanvasElement>('graph'), graph, pos, a, preset === 'torus', colorOf(shown));
  const d = designs.find((x) => x.name === shown)!;
  const across = (100 * crossShare(graph, a.dose)).toFixed(0);
  $('graph-caption').textContent =
    `${d.name}: ${d.units.toLocaleString('en-US')} randomization units. In this assignment ${across}% of friendships join a treated and a control user.`;
}

function tabs(api: Promise<Remote<SimApi>>): void {
  const el = $('design-tabs');
  el.innerHTML = designs
    .map(
      (d) =>
        `<button type="button" role="tab" data-design="${d.name}" data-color="${colorOf(d.name)}" style="--design: ${colorOf(d.name)}" aria-selected="${d.name === shown}"><span class="sw design"></span>${d.name}</button>`,
    )
    .join('');
  el.querySelectorAll<HTMLButtonElement>('button').forEach((b) =>
    b.addEventListener('click', async () => {
      if (run?.api !== api) return; // a tab of a run already replaced
      shown = b.dataset.design!;
      tabs(api);
      await showAssignment(await api);
    }),
  );
}

/** What user-level randomization gets wrong about the selected metric, and the best other design. */
function headline(md: MetricDiagnosis | null): void {
  if (!md) return void ($('headline').textContent = '');
  const d = md.rows;
  const user = d.find((x) => x.design === 'user' && x.estimator === 'dm');
  const best = d.filter((x) => x.design !== 'user' && x.rmse !== null).sort((a, b) => a.rmse! - b.rmse!)[0];
  // no headline when the truth or the estimate is undefined (a non-finite number is never shown)
  if (!user || user.bias === null || user.mean === null || user.truth === null) return void ($('headline').textContent = '');
  const truth = user.truth;
  // the outcome of linear-in-means needs no name; a product's metrics do
  const dec = md.metric === 'y' ? 2 : md.decimals;
  const f = (x: number) => x.toFixed(dec);
  const on = md.metric === 'y' ? '' : ` on <i>${metricLabel(md.metric)}</i>`;
  const bias = user.bias;
  let text: string;
  if (user.biasSE !== null && Math.abs(bias) <= 2 * user.biasSE) {
    text = `User-level randomization gets the true effect${on} (${f(truth)}) right within Monte Carlo error: bias ${f(bias)} ± ${f(user.biasSE)}.`;
  } else if (truth === 0) {
    text = `User-level randomization reports an effect${on} of <b class="neg">${f(user.mean)}</b> where there is none.`;
  } else {
    const under = bias * truth < 0;
    const pct = Math.abs((100 * bias) / truth).toFixed(0);
    text = `User-level randomization ${under ? 'understates' : 'overstates'} the true effect${on} (${f(truth)}) by <b class="neg">${f(Math.abs(bias))}</b>, about ${pct}%`;
    text += under && Math.abs(bias) > Math.abs(truth) ? ': it even gets the sign wrong.' : '.';
  }
  if (best) text += ` ${best.design} · ${best.estimator}: bias ${f(best.bias!)}, RMSE ${f(best.rmse!)} against ${f(user.rmse!)}.`;
  $('headline').innerHTML = text;
}

async function refresh(final = false): Promise<void> {
  if (updating && !final) return void (dirty = true);
  updating = true;
  dirty = false;
  try {
    const id = runId;
    syncMetrics();
    const md = await live.update(rows, final);
    if (id === runId) headline(md);
  } finally {
    updating = false;
  }
  if (dirty && !final) setTimeout(() => void refresh(), 250);
}

function progress(done: number, total: number): void {
  const p = $<HTMLProgressElement>('progress');
  p.max = total;
  p.value = done;
  p.dataset.done = String(done);
  const rate = done / Math.max(1e-3, (performance.now() - t0) / 1000);
  $('progress-text').textContent = `${done} / ${total} replications · ${rate.toFixed(0)}/s · ${workerCount()} workers`;
}

function start(): void {
  run?.stop();
  live.reset();
  const c = choices();
  if (c.designs.length === 0 || c.estimators.length === 0)
    return void ($('error').textContent = 'pick at least one design and one estimator');
  const scenario = scenarioFor(c);
  runId++;
  if (c.model !== runModel) metric = MODELS[c.model].metric;
  runModel = c.model;
  metricList = '';
  $('metric-row').hidden = true;
  $('scenario-json').textContent = JSON.stringify(scenario, null, 2);
  $('error').textContent = '';
  $('headline').textContent = 'building the network and the clusters…';
  rows = [];
  preset = c.graph;
  draw = 0;
  t0 = performance.now();
  progress(0, c.replications);
  setState('running');
  const handle = startRun(scenario, c.replications, {
    onReady(info) {
      graph = info.graph;
      designs = info.designs;
      live.designs = designs.map((d) => d.name);
      pos = layout(graph, preset);
      shown = designs.find((d) => d.name === shown)?.name ?? designs[0]!.name;
      tabs(handle.api);
      void handle.api.then(showAssignment);
    },
    onRows(batch, done) {
      rows.push(...batch);
      progress(done, c.replications);
      void refresh();
    },
    onDone() {
      rows.sort((a, b) => a.rep - b.rep);
      void refresh(true).then(() => setState('done'));
    },
    onError(message) {
      $('error').textContent = `simulation failed: ${message}`;
      setState('error');
    },
  });
  run = handle;
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  start();
});
$('stop').addEventListener('click', () => {
  run?.stop();
  setState('idle');
  void refresh(true);
});
$('redraw').addEventListener('click', () => {
  draw++;
  if (run) void run.api.then(showAssignment);
});
window.addEventListener('resize', () => run && void run.api.then(showAssignment));

start();
