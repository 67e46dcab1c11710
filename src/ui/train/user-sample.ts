// When a dataset is too large to train whole in a tab, a seeded sample of its users is
// proposed, and the page says why with numbers (the worker draws it: workers/train-run.ts).
import { duration } from '../common/format';

/** Up to this many users an epoch stays reasonable in a tab (ML-1M has 6,040; ML-10M 69,878). */
export const comfortableUsers = 20_000;
/** An epoch (all chosen methods) longer than this in the tab calls for a sample. */
export const comfortableEpochSeconds = 15 * 60;
/** Never propose fewer users than this: a smaller sample says little about the method. */
export const smallestProposal = 1_000;

const whole = new Intl.NumberFormat('en');

export interface UserSampleProposal {
  users: number;
  /** Why, with numbers: "an epoch over all 69,878 users would take about 3.2 h in this tab". */
  reason: string;
}

/** Rounds down to two significant figures: 4,287 -> 4,200. */
function roundDown(n: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, n))) - 1);
  return Math.floor(n / unit) * unit;
}

/**
 * The users to propose training on, given the dataset's user count and the estimated seconds
 * of one epoch over all of them; undefined when the whole dataset fits in a tab.
 */
export function proposeUserSample(users: number, epochSeconds: number): UserSampleProposal | undefined {
  const slow = Number.isFinite(epochSeconds) && epochSeconds > comfortableEpochSeconds;
  if (!slow && users <= comfortableUsers) return undefined;
  const bySpeed = slow ? (users * comfortableEpochSeconds) / epochSeconds : users;
  const proposed = Math.max(smallestProposal, roundDown(Math.min(comfortableUsers, bySpeed)));
  if (proposed >= users) return undefined;
  const reason = slow
    ? `an epoch over all ${whole.format(users)} users would take about ${duration(epochSeconds)} in this tab`
    : `${whole.format(users)} users are more than a tab trains comfortably (up to ${whole.format(comfortableUsers)})`;
  return { users: proposed, reason };
}

/** What the run will train on, before it starts (the exact positives come with the trained model). */
export function samplePlan(maxUsers: number, users: number): string {
  return `Training on a seeded sample of ${whole.format(maxUsers)} of ${whole.format(users)} users; the catalog is unchanged.`;
}
