// Scenario schemas of the product models (group calls, group stories).
// Every parameter has a default, so a scenario names only what it changes;
// docs/products.md says what each one does.
import { z } from 'zod';

const prob = z.number().min(0).max(1);
const openUnit = z.number().gt(0).lt(1);
const nonneg = z.number().min(0);

/** Shared by the product models: horizon, interference switches, who the users are. */
const productBase = {
  horizon: z.number().int().min(1).max(365).default(28),
  /** members without the feature still take part (join calls, see stories) */
  spillover: z.boolean().default(true),
  /** false: each user lives in a world where everyone shares their feature state (no interference at all) */
  networkEffects: z.boolean().default(true),
  /** offer covariate "baseline": the primary metric over a pre-period of the same horizon with no one treated (one more world per replication when used) */
  baseline: z.boolean().optional(),
  activityTail: z.number().gt(1).default(2.5),
  lowConnShare: prob.default(0.2),
  lowConnQuality: openUnit.default(0.55),
  connQuality: openUnit.default(0.92),
  tieNoise: nonneg.default(0.5),
  /** daily activity: logit = activeIntercept + activeSlope * log(activity) + feedback */
  activeIntercept: z.number().default(-1.2),
  activeSlope: z.number().default(1.5),
  /** decay per day of the remembered good and bad experiences */
  memoryDecay: prob.default(0.8),
  novelty: nonneg.default(1),
  noveltyDays: z.number().positive().default(4),
  /** adoption as a state (absent: off, every user with the feature uses it from day 0): docs/products.md, Adoption */
  adoption: z
    .strictObject({
      /** daily probability that a user with the feature adopts it, without exposure */
      hazard: prob.default(0.02),
      /** probability that one exposure to the feature in use (a call with it joined, a group story seen) makes the user adopt */
      perExposure: prob.default(0.05),
      /** false: exposures do not count (adoption is the baseline hazard alone), to isolate contagion's contribution */
      contagion: z.boolean().default(true),
      /** simple: each exposure an independent chance; threshold: one chance perExposure a day once the user has had `threshold` exposures since the start; friends: one chance perExposure a day while at least `threshold` distinct graph friends use the feature */
      rule: z.enum(['simple', 'threshold', 'friends']).default('simple'),
      /** exposures since the start the threshold rule needs; distinct friends using the feature the friends rule needs */
      threshold: z.number().int().min(1).default(2),
      /** daily probability that an adopted user stops using the feature for good */
      lapse: prob.default(0),
    })
    .optional(),
};

export const groupCallsSchema = z.strictObject({
  type: z.literal('group-calls'),
  ...productBase,
  /** daily probability a member with the feature starts a call, before activity, tie and novelty */
  startRate: nonneg.default(0.005),
  /** calls started without the feature (the older calling surface); 0 = none */
  legacyStartRate: nonneg.default(0.004),
  startActivityExp: nonneg.default(0.7),
  /** how steeply start rates rise with tie strength: the in-thread button reaches weak-tie groups too */
  startTie: z.number().default(1),
  legacyStartTie: z.number().default(3),
  joinIntercept: z.number().default(-1.2),
  /** join probability of members not otherwise active that day, relative to active ones */
  inactiveJoin: prob.default(0.35),
  joinTie: z.number().default(3),
  cap: z.number().int().min(2).default(8),
  connectFail: prob.default(0.25),
  dropIntercept: z.number().default(-3.5),
  dropPerParticipant: z.number().default(0.15),
  dropPoorConn: z.number().default(4),
  durationMedian: z.number().positive().default(9),
  durationSd: nonneg.default(0.8),
  durationTie: z.number().default(0.6),
  successParticipants: z.number().int().min(2).default(3),
  minDuration: nonneg.default(3),
  maxDropShare: prob.default(0.34),
  substitution: prob.default(0.3),
  oneToOneRate: nonneg.default(0.25),
  oneToOneMinutes: nonneg.default(6),
  messageRate: nonneg.default(6),
  minutesPerMessage: nonneg.default(0.2),
  retentionUp: nonneg.default(0.4),
  retentionDown: nonneg.default(0.3),
  reportIntercept: z.number().default(-7.5),
  reportSize: z.number().default(0.8),
  reportLowTie: z.number().default(2.5),
});

export const groupStoriesSchema = z.strictObject({
  type: z.literal('group-stories'),
  ...productBase,
  /** daily probability an active user with the feature posts a group story, before activity, novelty and contagion */
  groupPostRate: nonneg.default(0.003),
  postActivityExp: nonneg.default(0.8),
  /** how steeply group posting rises with activity (default: postActivityExp); above it, group stories come mostly from the most active users, who post public stories anyway */
  groupPostActivityExp: nonneg.optional(),
  /** group posting rises by this share per group story seen the day before (up to 5) */
  contagion: nonneg.default(0.15),
  publicPostRate: nonneg.default(0.05),
  /** share of group posts that replace a public post the user would have made that day */
  cannibalisation: prob.default(0.3),
  /** how visible group stories are to members without the feature (when spillover is on) */
  spilloverVisibility: prob.default(0.5),
  publicOpen: prob.default(0.25),
  openIntercept: z.number().default(0.5),
  openTie: z.number().default(2),
  publicDm: prob.default(0.04),
  groupDmIntercept: z.number().default(-1.5),
  groupDmTie: z.number().default(1.5),
  publicReciprocal: prob.default(0.35),
  reciprocalIntercept: z.number().default(-0.5),
  reciprocalTie: z.number().default(1.5),
  muteIntercept: z.number().default(-3.2),
  /** mute logit rises by this per group story seen that day (fatigue) */
  mutePerStory: nonneg.default(0.4),
  muteTie: nonneg.default(3),
  retentionUp: nonneg.default(0.05),
  retentionDown: nonneg.default(0.3),
});

export type GroupCallsParams = z.infer<typeof groupCallsSchema>;
export type GroupStoriesParams = z.infer<typeof groupStoriesSchema>;
