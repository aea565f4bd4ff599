// The rows of `spillover exposure`: per design and distinct exposure
// setting of the scenario's HT/Hajek entries, the probabilities as the run's
// set-up computes them (so the command can use the set-up threads).
import type { Scenario } from './scenario.js';
import { designName } from '../design/index.js';
import { IPW_DEFAULTS, type IpwOptions } from '../estimate/index.js';
import { exposureMapping, type ExposureProbabilities } from '../estimate/exposure/index.js';
import { buildSetup, cachesOf, type Setup } from './setup.js';

export interface ExposureRow {
  design: string;
  mapping: string;
  probabilities: ExposureProbabilities;
  seconds: number;
}

/**
 * The scenario with one HT entry per distinct exposure setting of its ht /
 * hajek entries: each setting is then its own set-up task, with joint
 * probabilities (as HT computes them).
 */
export function exposureScenario(scenario: Scenario): Scenario {
  const settings = new Map<string, Scenario['estimators'][number]>();
  for (const e of scenario.estimators) {
    if (e === 'ht' || e === 'hajek') settings.set(JSON.stringify(IPW_DEFAULTS), 'ht');
    else if (typeof e !== 'string' && 'exposure' in e) {
      // "variance": false lists no pairs: its row shows the marginals alone
      const variance = e.variance === false ? { variance: false } : {};
      const o = { mapping: e.exposure, draws: e.draws, batches: e.batches, ...variance };
      settings.set(JSON.stringify(o), { estimator: 'ht', exposure: e.exposure, draws: e.draws, batches: e.batches, ...variance });
    }
  }
  return { ...scenario, estimators: [...settings.values()] };
}

/** One row per (design, setting) with probabilities, in scenario order; designs without any (two arms) have none. */
export function exposureRows(ask: Scenario, setup: Setup): ExposureRow[] {
  const caches = cachesOf(setup);
  const rows: ExposureRow[] = [];
  for (const spec of ask.designs) {
    const name = designName(spec);
    ask.estimators.forEach((e, j) => {
      const o: IpwOptions =
        typeof e === 'string'
          ? IPW_DEFAULTS
          : { ...IPW_DEFAULTS, ...(e as Partial<IpwOptions>), mapping: (e as { exposure: IpwOptions['mapping'] }).exposure };
      const key = `exposure/${name}/${exposureMapping(o.mapping).key}/${o.draws}/${o.batches}/${o.variance === false ? 'marginal' : 'joint'}`;
      const probabilities = caches.get(name)?.get(key) as ExposureProbabilities | undefined;
      if (!probabilities) return;
      const timing = setup.timings.find((t) => t.design === name && t.estimators.includes(j));
      rows.push({
        design: name,
        mapping: o.mapping.kind === 'fractional' ? `fractional q=${o.mapping.q}` : o.mapping.kind,
        probabilities,
        seconds: timing?.seconds ?? 0,
      });
    });
  }
  return rows;
}

/** The rows computed in this thread (tests). */
export function exposureTable(scenario: Scenario): ExposureRow[] {
  const ask = exposureScenario(scenario);
  return exposureRows(ask, buildSetup(ask));
}
