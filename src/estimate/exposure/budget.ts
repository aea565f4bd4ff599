// The memory one list of dependent pairs (one design and exposure setting)
// may take, for this thread: set by admission (src/sim/admission.ts) from
// --max-memory before anything is built, and handed to set-up threads with
// their scenario (src/sim/setup.ts). Without one (tests, the page) pairs are
// listed without a check. The exact count is checked against it before the
// pair arrays are allocated (pairs.ts), so a run gets every pair or is
// refused: its results never depend on the machine's memory.
import { UserError } from '../../errors.js';
import { PAIR_BYTES, PAIR_PEAK_BYTES, type PairLimit } from './pairs.js';

export interface PairBudget {
  /** bytes one pair list may take */
  readonly bytes: number;
  /** how that share was reached, for the refusal, e.g. "a sixth of --max-memory 8 GB after the graph and buffers (6 pair lists)" */
  readonly limit: string;
}

let current: PairBudget | null = null;

export function setPairBudget(b: PairBudget | null): void {
  current = b;
}

export function pairBudget(): PairBudget | null {
  return current;
}

const size = (bytes: number) =>
  bytes >= 2 ** 30
    ? `${(bytes / 2 ** 30).toFixed(1)} GB`
    : bytes >= 2 ** 20
      ? `${(bytes / 2 ** 20).toFixed(0)} MB`
      : `${Math.ceil(bytes / 1024)} kB`;

/** The limit for design `design` under exposure `exposure`, refusing with a UserError naming the field and the ways out; null without a budget. */
export function pairLimit(design: string, exposure: string): PairLimit | null {
  const b = current;
  if (!b) return null;
  return {
    max: Math.floor(b.bytes / PAIR_PEAK_BYTES),
    refuse(pairs, how) {
      const count = `${how === 'at least' ? 'at least ' : how === 'sampled' ? 'about ' : ''}${pairs.toLocaleString('en-US')} dependent pairs${how === 'exact' ? ' (exact count)' : how === 'sampled' ? ' (estimated from a sample of 2,048 users)' : ''}`;
      return new UserError(
        `estimators: ht/hajek on design "${design}" with ${exposure} exposure: ${count} need about ${size(pairs * PAIR_PEAK_BYTES)} while their joint probabilities are computed (${PAIR_PEAK_BYTES} bytes a pair at the peak, ${PAIR_BYTES} kept; for the Aronow–Samii variance), more than the ${size(b.bytes)} ${b.limit}; raise --max-memory, use fewer designs or ht/hajek exposure settings, or write those entries as { "estimator": "ht", "variance": false } (no standard error, nothing listed)`,
        'EPARAM',
      );
    },
  };
}
