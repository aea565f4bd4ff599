// Zod building blocks shared by the schema modules.
import { z } from 'zod';

export const prob = z.number().min(0).max(1);
export const openProb = z.number().gt(0, 'must be > 0 (one arm would be empty)').lt(1, 'must be < 1 (one arm would be empty)');
export const posInt = z.number().int().positive();

/**
 * Largest sizes a scenario may ask for (issue 13): beyond them the typed
 * arrays cannot index (2^31 nodes or edges) or the run could never finish.
 * Memory is checked separately, against the machine (sim/admission.ts).
 */
export const LIMITS = {
  nodes: 2 ** 31 - 1,
  /** replications of one scenario (more: shards of separate runs) */
  replications: 10_000_000,
  /** Monte Carlo draws of exposure probabilities */
  draws: 10_000_000,
  batches: 100_000,
  /** fixed clusterings of a mixture design, each an array of n labels */
  mixtureK: 10_000,
  blocks: 1_000_000,
  meanThreadsPerUser: 1_000,
  threadSize: 100_000,
} as const;

/** An integer in [min, max]; the message says the bound and why. */
export function boundedInt(min: number, max: number, why: string) {
  return z
    .number()
    .int()
    .min(min)
    .max(max, `must be at most ${max.toLocaleString('en-US')} (${why})`);
}

// C0 and C1 controls (ANSI escapes start with ESC), and the bidirectional
// overrides that reorder what a terminal shows.
function hasControl(s: string, allowLineBreaks: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (allowLineBreaks && (c === 9 || c === 10)) continue;
    if (c < 32 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

/** A name printed in tables and reports: no control characters. */
export const label = z
  .string()
  .refine((s) => !hasControl(s, false), 'must not contain control characters (ANSI escape codes, line breaks, bidi overrides)');
/** Free text (descriptions): line breaks and tabs allowed, other control characters not. */
export const text = z.string().refine((s) => !hasControl(s, true), 'must not contain control characters (such as ANSI escape codes)');
