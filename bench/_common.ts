// Shared bits of the benchmark scripts: arguments, the reference SBM, timing
// and the machine description recorded with every figure.
import { cpus, totalmem } from 'node:os';
import { parseScenario, type Scenario } from '../src/sim/scenario.js';

/** `--name value` and `--flag` arguments. */
export function args(argv = process.argv.slice(2)): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) (m.set(a.slice(2), next), i++);
    else m.set(a.slice(2), 'true');
  }
  return m;
}

export const PYTHON = '/usr/bin/python3';

/**
 * The reference workload: SBM with `blocks` blocks of 1,000 (200 blocks:
 * 200,000 users, about 2,000,000 friendships, mean degree 20), linear-in-means,
 * user-level Bernoulli(0.5), difference in means, Horvitz–Thompson and Hajek.
 */
export function sbmScenario(blocks: number, blockSize = 1000, extra: Partial<Record<string, unknown>> = {}): Scenario {
  const n = blocks * blockSize;
  // mean degree about 20: 15 inside the block, 5 outside
  const pIn = Math.min(1, 15 / (blockSize - 1));
  const pOut = blocks > 1 ? 5 / (n - blockSize) : 0;
  return parseScenario({
    name: `bench-sbm-${n}`,
    seed: 1,
    replications: 100,
    graph: { generator: 'sbm', blocks, blockSize, pIn, pOut },
    model: { type: 'linear-in-means', alpha: 0, beta: 0.1, gamma: 0.1, sigma: 1 },
    designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
    // no Aronow–Samii variance ("variance": false), as the NumPy peer computes none: at 200,000 users
    // HT/Hajek have 39.3 million dependent pairs, whose listing and joints are set-up of their own (bench/README.md)
    estimators: ['dm', { estimator: 'ht', name: 'ht', variance: false }, { estimator: 'hajek', name: 'hajek', variance: false }],
    ...extra,
  });
}

export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** Run `fn` repeatedly for at least `budget` seconds and `min` times; returns calls per second. */
export function rate(fn: () => void, budget: number, min = 3): { calls: number; seconds: number; perSecond: number } {
  const t0 = performance.now();
  let calls = 0;
  while (calls < min || seconds(t0) < budget) {
    fn();
    calls++;
  }
  const s = seconds(t0);
  return { calls, seconds: s, perSecond: calls / s };
}
