// The generative story of the default dataset (datasets/README.md tells it in words):
// long-term genre tastes, Zipf-like popularity within a genre, themed sessions, series read
// in order, more by the same author, and a drift to new genres in the device period.
import { randomInt, randomNormal, type Rng } from '../src/random.ts';
import { GENRES } from './catalog/index.ts';
import { searchCumulative, type CatalogIndex } from './catalog-index.ts';

export interface SimulationConfig {
  users: number;
  /** Interactions per user in the device period (the last ones). */
  devicePeriod: number;
  /** Cloud-period length is minCloud + a log-normal draw with this median. */
  minCloud: number;
  medianExtraCloud: number;
  maxCloud: number;
  /** Share of a user's cloud interest spread thinly over non-favourite genres. */
  cloudBackground: number;
  /**
   * Passing interests in the cloud period: it is a run of phases of phaseMinClicks..phaseMaxClicks
   * clicks; with chance pPhase a phase puts phaseShare of the interest on one genre outside the
   * favourites (the rest follows the long-term taste), otherwise it is the long-term taste alone.
   */
  pPhase: number;
  phaseShare: number;
  phaseMinClicks: number;
  phaseMaxClicks: number;
  /** Device-period interest: share on the new genres, and on the old favourites. */
  deviceNewShare: number;
  deviceOldShare: number;
  /** After a series entry, chance the next click is the next unread entry. */
  pSeriesContinue: number;
  /** Chance the next click is another work by the last item's creator. */
  pSameCreator: number;
  /** A popular later entry of a series is swapped for the first unread entry with this chance. */
  pSeriesStart: number;
  /** Every item gets at least this many interactions (preprocessing keeps items with >= 5). */
  minItemInteractions: number;
}

export const DEFAULT_SIMULATION: SimulationConfig = {
  users: 1000,
  devicePeriod: 10,
  minCloud: 18,
  medianExtraCloud: 18,
  maxCloud: 160,
  cloudBackground: 0.1,
  pPhase: 0.6,
  phaseShare: 0.6,
  phaseMinClicks: 8,
  phaseMaxClicks: 20,
  deviceNewShare: 0.75,
  deviceOldShare: 0.2,
  pSeriesContinue: 0.6,
  pSameCreator: 0.2,
  pSeriesStart: 0.7,
  minItemInteractions: 5,
};

export interface SimulatedUser {
  /** True interest per genre (index into GENRES), sums to 1. */
  cloudInterest: number[];
  deviceInterest: number[];
  /** Sessions of item indices (0-based into the catalog), in time order. */
  cloudSessions: number[][];
  deviceSessions: number[][];
}

const NUM_GENRES = GENRES.length;

export function simulateUsers(rng: Rng, index: CatalogIndex, config: SimulationConfig): SimulatedUser[] {
  const genrePrior = index.pools.map((pool) => Math.pow(pool.items.length, 0.7));
  const users: SimulatedUser[] = [];
  for (let u = 0; u < config.users; u++) users.push(simulateUser(rng, index, config, genrePrior));
  fillColdItems(rng, index, config, users);
  return users;
}

function simulateUser(rng: Rng, index: CatalogIndex, config: SimulationConfig, genrePrior: number[]): SimulatedUser {
  const favouriteCount = pickFrom(rng, [0.45, 0.4, 0.15]) + 2;
  const favourites = sampleWithoutReplacement(rng, genrePrior, favouriteCount, new Set());
  const cloudInterest = mixInterest(rng, favourites, 1 - config.cloudBackground, [], 0, config.cloudBackground, genrePrior);

  // The drift: 1-2 genres that were only background noise in the cloud period.
  const newGenres = sampleWithoutReplacement(rng, genrePrior, 1 + pickFrom(rng, [0.5, 0.5]), new Set(favourites));
  const background = 1 - config.deviceNewShare - config.deviceOldShare;
  const deviceInterest = mixInterest(
    rng,
    newGenres,
    config.deviceNewShare,
    favourites,
    config.deviceOldShare,
    background,
    genrePrior,
    cloudInterest,
  );

  const extra = Math.round(config.medianExtraCloud * Math.exp(0.6 * randomNormal(rng)));
  const cloudLength = Math.min(config.maxCloud, config.minCloud + extra);
  const seen = new Set<number>();
  const cloudSessions: number[][] = [];
  for (let produced = 0; produced < cloudLength;) {
    const phaseLength = Math.min(
      cloudLength - produced,
      config.phaseMinClicks + randomInt(rng, config.phaseMaxClicks - config.phaseMinClicks + 1),
    );
    const phaseInterest =
      rng() < config.pPhase ? passingInterest(rng, cloudInterest, favourites, config.phaseShare, genrePrior) : cloudInterest;
    cloudSessions.push(...simulatePeriod(rng, index, config, phaseInterest, phaseLength, seen));
    produced += phaseLength;
  }
  const deviceSessions = simulatePeriod(rng, index, config, deviceInterest, config.devicePeriod, seen);
  return { cloudInterest, deviceInterest, cloudSessions, deviceSessions };
}

/** The long-term taste with `share` of it moved to one genre outside the favourites (by the genre prior). */
function passingInterest(rng: Rng, cloudInterest: number[], favourites: number[], share: number, genrePrior: number[]): number[] {
  const [genre] = sampleWithoutReplacement(rng, genrePrior, 1, new Set(favourites));
  return cloudInterest.map((w, g) => (1 - share) * w + (g === genre ? share : 0));
}

/**
 * `mainShare` over `main` genres (random Dirichlet(2) split), `oldShare` over `old` genres in
 * proportion to `oldWeights`, and `background` over all remaining genres by the genre prior.
 */
function mixInterest(
  rng: Rng,
  main: number[],
  mainShare: number,
  old: number[],
  oldShare: number,
  background: number,
  genrePrior: number[],
  oldWeights?: number[],
): number[] {
  const interest = new Array<number>(NUM_GENRES).fill(0);
  const split = main.map(() => -Math.log(1 - rng()) - Math.log(1 - rng()));
  const splitTotal = split.reduce((a, b) => a + b, 0);
  main.forEach((g, k) => (interest[g] += (mainShare * split[k]) / splitTotal));
  const oldTotal = old.reduce((a, g) => a + (oldWeights?.[g] ?? 1), 0);
  old.forEach((g) => (interest[g] += (oldShare * (oldWeights?.[g] ?? 1)) / oldTotal));
  const rest = genrePrior.map((p, g) => (main.includes(g) || old.includes(g) ? 0 : p));
  const restTotal = rest.reduce((a, b) => a + b, 0);
  rest.forEach((p, g) => (interest[g] += (background * p) / restTotal));
  return interest;
}

/** Themed sessions: each picks a genre from the period's interest, then 2-6 clicks. */
function simulatePeriod(
  rng: Rng,
  index: CatalogIndex,
  config: SimulationConfig,
  interest: number[],
  length: number,
  seen: Set<number>,
): number[][] {
  const cumulative = new Float64Array(NUM_GENRES);
  interest.reduce((total, w, g) => (cumulative[g] = total + w), 0);
  const sessions: number[][] = [];
  let produced = 0;
  while (produced < length) {
    const genre = searchCumulative(cumulative, rng() * cumulative[NUM_GENRES - 1]);
    const sessionLength = Math.min(2 + randomInt(rng, 5), length - produced);
    const session: number[] = [];
    let last = -1;
    for (let k = 0; k < sessionLength; k++) {
      last = nextItem(rng, index, config, genre, last, seen);
      seen.add(last);
      session.push(last);
    }
    sessions.push(session);
    produced += sessionLength;
  }
  return sessions;
}

function nextItem(rng: Rng, index: CatalogIndex, config: SimulationConfig, genre: number, last: number, seen: Set<number>): number {
  if (last >= 0) {
    const inSeries = index.seriesOf[last];
    if (inSeries && rng() < config.pSeriesContinue) {
      const members = index.series.get(inSeries.key)!;
      const next = members.slice(inSeries.position + 1).find((item) => !seen.has(item));
      if (next !== undefined) return next;
    }
    if (rng() < config.pSameCreator) {
      const sameCreator = index.byCreator.get(index.works[last].creator)!.filter((item) => !seen.has(item));
      const weights = sameCreator.map((item) => index.popularity[item] * (index.itemGenres[item].includes(genre) ? 3 : 1));
      if (sameCreator.length > 0) return sameCreator[pickFrom(rng, weights)];
    }
  }
  const item = samplePool(rng, index, genre, seen);
  const inSeries = index.seriesOf[item];
  if (inSeries && inSeries.position > 0 && rng() < config.pSeriesStart) {
    const first = index.series.get(inSeries.key)!.find((member) => !seen.has(member));
    if (first !== undefined) return first;
  }
  return item;
}

/** Zipf draw from a genre's pool, skipping what the user has already read. */
function samplePool(rng: Rng, index: CatalogIndex, genre: number, seen: Set<number>): number {
  const pool = index.pools[genre];
  const total = pool.cumulative[pool.cumulative.length - 1];
  for (let attempt = 0; attempt < 64; attempt++) {
    const item = pool.items[searchCumulative(pool.cumulative, rng() * total)];
    if (!seen.has(item)) return item;
  }
  const unread = pool.items.find((item) => !seen.has(item));
  if (unread !== undefined) return unread;
  const anyUnread = index.works.findIndex((_, item) => !seen.has(item));
  if (anyUnread < 0) throw new Error('A simulated user has read the whole catalog; lower the history length.');
  return anyUnread;
}

/**
 * Items the popularity tail left below `minItemInteractions` get extra cloud-period clicks from
 * users whose cloud taste matches the item's genres, each as its own one-click session.
 */
function fillColdItems(rng: Rng, index: CatalogIndex, config: SimulationConfig, users: SimulatedUser[]): void {
  const counts = new Int32Array(index.works.length);
  const readers = users.map((user) => new Set([...user.cloudSessions.flat(), ...user.deviceSessions.flat()]));
  readers.forEach((items) => items.forEach((item) => counts[item]++));
  for (let item = 0; item < index.works.length; item++) {
    const genres = index.itemGenres[item];
    while (counts[item] < config.minItemInteractions) {
      const weights = users.map((user, u) => (readers[u].has(item) ? 0 : genres.reduce((sum, g) => sum + user.cloudInterest[g], 0.001)));
      const u = pickFrom(rng, weights);
      const sessions = users[u].cloudSessions;
      sessions.splice(randomInt(rng, sessions.length + 1), 0, [item]);
      readers[u].add(item);
      counts[item]++;
    }
  }
}

/** Index drawn with probability proportional to `weights`. */
function pickFrom(rng: Rng, weights: number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let target = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0 && weights[i] > 0) return i;
  }
  // Rounding can leave `target` a hair above zero at the end: fall back to the last candidate.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  throw new Error('pickFrom: every weight is zero');
}

function sampleWithoutReplacement(rng: Rng, weights: number[], count: number, exclude: Set<number>): number[] {
  const available = weights.map((w, i) => (exclude.has(i) ? 0 : w));
  const chosen: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = pickFrom(rng, available);
    chosen.push(i);
    available[i] = 0;
  }
  return chosen;
}
