// Writes the data sets of the R fixtures (test/fixtures/r/*.csv): replications
// of scenarios/caltech-dorms.json's "user" and "dorm" designs, with a baseline
// outcome (baselineCorrelation 0.6), drawn exactly as the simulator draws them
// (the replication's model stream, the design's assignment stream, the model's
// outcomes). `spillover draw` did not exist when these were made; this script
// stands in for it.
//   npx tsc -p . --outDir .fx-build/out && node scripts/r/make-fixtures.mjs .fx-build/out
// then: Rscript scripts/r/fixtures.R   (writes the expected numbers as JSON)
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const out = resolve(process.argv[2] ?? '.fx-build/out');
const imp = (p) => import(pathToFileURL(join(out, p)).href);
const { loadScenario } = await imp('src/sim/scenario.js');
const { parseScenario } = await imp('src/sim/parse-scenario.js');
const { buildPlan } = await imp('src/sim/plan.js');
const { assignment } = await imp('src/design/design.js');
const { fastStream } = await imp('src/random/fast.js');
const { outcomeBuffers } = await imp('src/model/model.js');

const base = loadScenario('scenarios/caltech-dorms.json');
const scenario = parseScenario({
  ...JSON.parse(JSON.stringify(base)),
  model: { type: 'linear-in-means', alpha: 0, beta: 0.2, gamma: 0.3, sigma: 1, baselineCorrelation: 0.6 },
  designs: base.designs.filter((d) => d.name === 'user' || d.name === 'dorm'),
  estimators: ['dm'],
});
const plan = buildPlan(scenario, undefined, undefined, { prepareEstimators: false });
const { graph, model } = plan;
const n = graph.csr.n;
const deg = (i) => graph.csr.offsets[i + 1] - graph.csr.offsets[i];
const dorm = graph.attributes.dorm;
const year = graph.attributes.year;
const dir = 'test/fixtures/r';
const csv = (rows) => rows.map((r) => r.join(',')).join('\n') + '\n';

for (const r of [0, 1]) {
  const rng = (p) => fastStream(scenario.seed, 'rep', r, p);
  const draw = model.draw(rng);
  const pre = model.covariate('baseline', draw);
  for (const pd of plan.designs) {
    const d = pd.design;
    const z = new Uint8Array(d.units.count);
    const info = d.drawUnits(fastStream(scenario.seed, 'rep', r, 'assign', d.name), z) ?? null;
    const a = assignment(d, z, info, { dose: new Float64Array(n), treated: new Uint8Array(n) });
    const buf = outcomeBuffers(model, n);
    model.outcomes(draw, { dose: a.dose, treated: a.treated, threadOn: a.threadOn }, buf.num, buf.den);
    const y = buf.num[0];
    const header = ['user', 'cluster', 'z', 'y', 'baseline', 'degree', 'dorm', 'year'];
    const rows = [];
    for (let i = 0; i < n; i++) rows.push([i, d.units.list[i], a.dose[i], y[i], pre[i], deg(i), dorm[i], year[i]]);
    const name = d.name === 'user' ? 'user' : 'dorm';
    if (name === 'user' && r > 0) continue;
    writeFileSync(join(dir, `caltech-${name}-rep${r}.csv`), csv([header, ...rows]));
    // the few-cluster case: the students with a dorm (0 = missing), clustered by dorm
    if (name === 'dorm') writeFileSync(join(dir, `caltech-dorm-few-rep${r}.csv`), csv([header, ...rows.filter((row) => row[6] > 0)]));
  }
}
process.stdout.write(`wrote ${dir}\n`);
