// The name of every random stream. A stream is keyed by (seed, ...path)
// (streams.ts, fast.ts), so its name is what makes a draw reproducible:
// renaming one changes numbers (test/golden would fail). Callers spread a
// path into stream() or fastStream(): stream(seed, ...names.graph()).
// Inside a stream path, a model or design adds its own purpose; those
// purposes are named here too, below the top-level streams.

export type StreamPath = readonly (string | number)[];

// ── set-up, once per scenario ───────────────────────────────────────────
/** The generated graph. */
export const graph = (): StreamPath => ['graph'];
/** The group threads drawn inside the graph. */
export const threads = (): StreamPath => ['threads'];
/** A design's set-up draws (the clusterings it fixes), under the design's own purpose. */
export const design = (name: string, purpose: string): StreamPath => ['design', name, purpose];
/** The inquiry of a model whose effect does not depend on the draw (drawFreeEffect), once per plan. */
export const truth = (purpose: string): StreamPath => ['truth', purpose];

// ── one replication ─────────────────────────────────────────────────────
/** Replication r's model draw, under the model's purpose. */
export const rep = (r: number, purpose: string): StreamPath => ['rep', r, purpose];
/** Replication r's assignment of one design. */
export const repAssign = (r: number, design: string): StreamPath => ['rep', r, 'assign', design];
/**
 * Replication r's world of a randomized saturation design with every cluster
 * at saturation s: the stage-2 assignment the inquiries at s (direct,
 * spillover) are computed over.
 */
export const repInquiry = (r: number, design: string, s: number): StreamPath => ['rep', r, 'inquiry', design, s];

/**
 * The wild cluster bootstrap's weights (estimate/wild.ts) for replication r
 * (or 'single' outside the simulation), one stream per design and estimator.
 */
export const wildBootstrap = (r: number | 'single', design: string, estimator: string): StreamPath => [
  'rep',
  r,
  'wild-bootstrap',
  design,
  estimator,
];

/**
 * The Fisher randomization test's re-drawn assignments (estimate/fisher.ts)
 * for replication r (or 'single'), one stream per design and estimator.
 */
export const fisherDraws = (r: number | 'single', design: string, estimator: string): StreamPath => ['rep', r, 'fisher', design, estimator];

/**
 * The no-spillover test (estimate/aei.ts) for replication r: its focal users
 * ('focal') and its re-drawn assignments of the other users ('draws').
 */
export const aeiTest = (r: number | 'single', design: string, estimator: string, purpose: 'focal' | 'draws'): StreamPath => [
  'rep',
  r,
  'aei',
  design,
  estimator,
  purpose,
];

// ── analyses beside the simulation ──────────────────────────────────────
/** The single experiment of `spillover readout`: the model draw. */
export const readout = (purpose: string): StreamPath => ['readout', purpose];
/** The single experiment of `spillover readout`: the design's assignment. */
export const readoutAssign = (design: string): StreamPath => ['readout', 'assign', design];
/** `spillover power`: model draw d of the analytic SE. */
export const power = (draw: number, purpose: string): StreamPath => ['power', draw, purpose];
/** Monte Carlo exposure probabilities: batch b of a design's assignments under one exposure mapping. */
export const exposureMC = (design: string, mapping: string, batch: number): StreamPath => ['exposure-mc', design, mapping, batch];
/** The extra coins of that batch (e.g. thread-level draws). */
export const exposureMCCoins = (design: string, mapping: string, batch: number): StreamPath => [
  ...exposureMC(design, mapping, batch),
  'coins',
];
/** Clustering m of a random-clustering design, for the exact variance over clusterings. */
export const varianceClustering = (design: string, m: number): StreamPath => ['variance', design, m];
/** The interactive page's example assignment k of a design. */
export const page = (k: number, design: string): StreamPath => ['page', k, design];

/**
 * The bootstrap behind the Monte Carlo SEs of a diagnosis row's SD and RMSE
 * (summary.ts): one stream per design x estimator x metric, so a row's SEs
 * do not depend on which other rows the run has.
 */
export const diagnosisBootstrap = (design: string, estimator: string, metric: string): StreamPath => [
  'diagnosis-bootstrap',
  design,
  estimator,
  metric,
];

// ── fields a model draws from the seed alone (fixed across replications) ─
/** Ugander & Yin's outcome fields. */
export const uganderYin = (field: 'noise' | 'homophily'): StreamPath => ['ugander-yin', field];

// ── purposes inside a model's draw (passed to draw(rng)) ────────────────
export const purpose = {
  /** linear-in-means: the additive noise */
  noise: 'noise',
  /** linear-in-means: the baseline (pre-period) outcome's own noise, drawn only when the model has a baseline */
  baseline: 'baseline',
  /** product models' latent traits */
  activity: 'activity',
  market: 'market',
  quality: 'quality',
  tie: 'tie',
  /**
   * a product model's purpose key (hash.ts keyFrom) under the model's prefix:
   * 'calls' (calls-data.ts CALL_KEYS, oneToOne, message), 'stories' (stories-data.ts STORY_KEYS)
   */
  productKey: (prefix: string, key: string) => `${prefix}/${key}`,
  /** a product model's purpose key of its pre-period (the covariate 'baseline', drawn only with `baseline: true`) */
  productPreKey: (prefix: string, key: string) => `${prefix}/pre/${key}`,
} as const;

// ── purposes inside a design's set-up stream (names.design(name, ·)) ────
export const designPurpose = {
  louvain: (resolution: number) => `louvain/${resolution}`,
  net: (radius: number) => `net/${radius}`,
  oneHopMax: 'one-hop-max',
  /** member m of a mixture of fixed clusterings */
  mixture: (m: number) => `mixture/${m}`,
  /** ego-cluster randomization: the random order in which users are offered as egos */
  egoOrder: 'ego-order',
} as const;
