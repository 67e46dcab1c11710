// Evaluation metrics exactly as docs/method.md#metrics defines them. Pure TypeScript over typed
// arrays (no tfjs), so they run anywhere and are easy to check by hand.
//
// Tie order, used everywhere a list is sorted by score: descending score, and among equal
// scores negatives come before positives (the pessimistic order), then original sample order.
// A model that scores everything the same therefore earns no ranking credit.
// AUC instead gives tied pairs half credit (average ranks), as ROC AUC does.
import type { Metrics } from './types';

type Labels = ArrayLike<number>;
type Scores = ArrayLike<number>;

/** Numerically stable log(1 + exp(x)). */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function assertSameLength(name: string, ...arrays: ArrayLike<unknown>[]): void {
  const n = arrays[0].length;
  for (const a of arrays) {
    if (a.length !== n) throw new RangeError(`${name}: inputs have different lengths (${arrays.map((x) => x.length).join(', ')})`);
  }
}

/**
 * ROC AUC via the Mann-Whitney statistic with average ranks for ties.
 * Labels are 1 (positive) or 0 (negative). NaN when either class is absent.
 */
export function auc(labels: Labels, scores: Scores): number {
  assertSameLength('auc', labels, scores);
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0; // 1-based average ranks of positives
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if (labels[order[t]] > 0.5) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Sample indices grouped by user, users in order of first appearance. */
export function groupByUser(users: ArrayLike<number>): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < users.length; i++) {
    const group = groups.get(users[i]);
    if (group) group.push(i);
    else groups.set(users[i], [i]);
  }
  return [...groups.values()];
}

function pick(values: ArrayLike<number>, indices: number[]): number[] {
  return indices.map((i) => values[i]);
}

/** Mean of per-user AUC over users that have both a positive and a negative; NaN if none. */
export function uauc(users: ArrayLike<number>, labels: Labels, scores: Scores): number {
  assertSameLength('uauc', users, labels, scores);
  let sum = 0;
  let counted = 0;
  for (const group of groupByUser(users)) {
    const value = auc(pick(labels, group), pick(scores, group));
    if (!Number.isNaN(value)) {
      sum += value;
      counted++;
    }
  }
  return counted === 0 ? Number.NaN : sum / counted;
}

/**
 * Mean binary cross-entropy from PROBABILITIES in [0, 1], clipped into [eps, 1 - eps] so a
 * confident mistake costs -log(eps) instead of infinity.
 */
export function logloss(labels: Labels, probabilities: Scores, eps = 1e-7): number {
  assertSameLength('logloss', labels, probabilities);
  if (labels.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i], eps), 1 - eps);
    sum -= labels[i] * Math.log(p) + (1 - labels[i]) * Math.log(1 - p);
  }
  return sum / labels.length;
}

/**
 * Mean binary cross-entropy from LOGITS (what the models output), computed stably as
 * softplus(z) - y z; no clipping is needed because it is finite for every finite logit.
 */
export function loglossFromLogits(labels: Labels, logits: Scores): number {
  assertSameLength('loglossFromLogits', labels, logits);
  if (labels.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += softplus(logits[i]) - labels[i] * logits[i];
  return sum / labels.length;
}

/** Indices sorted by descending score; ties: negatives first, then original order. */
function rankOrder(indices: number[], labels: Labels, scores: Scores): number[] {
  return indices
    .map((index, position) => ({ index, position }))
    .sort(
      (a, b) =>
        scores[b.index] - scores[a.index] || (labels[a.index] > 0.5 ? 1 : 0) - (labels[b.index] > 0.5 ? 1 : 0) || a.position - b.position,
    )
    .map((entry) => entry.index);
}

export type RankingMetrics = Record<`ndcg${number}` | `hr${number}`, number>;

/**
 * NDCG@k and HR@k per docs/method.md#metrics, averaged over users with at least one positive
 * (NaN for every k when there is none). Keys: `ndcg5`, `hr5`, `ndcg10`, ...
 */
export function rankingMetrics(users: ArrayLike<number>, labels: Labels, scores: Scores, ks: number[] = [5, 10, 20]): RankingMetrics {
  assertSameLength('rankingMetrics', users, labels, scores);
  const sums = ks.map(() => ({ ndcg: 0, hr: 0 }));
  let counted = 0;
  for (const group of groupByUser(users)) {
    const positives = group.filter((i) => labels[i] > 0.5).length;
    if (positives === 0) continue;
    counted++;
    const ranked = rankOrder(group, labels, scores);
    ks.forEach((k, ki) => {
      let dcg = 0;
      let hit = 0;
      for (let rank = 0; rank < Math.min(k, ranked.length); rank++) {
        if (labels[ranked[rank]] > 0.5) {
          dcg += 1 / Math.log2(rank + 2);
          hit = 1;
        }
      }
      let idcg = 0;
      for (let i = 0; i < Math.min(k, positives, ranked.length); i++) idcg += 1 / Math.log2(i + 2);
      sums[ki].ndcg += dcg / idcg;
      sums[ki].hr += hit;
    });
  }
  const result: RankingMetrics = {};
  ks.forEach((k, ki) => {
    result[`ndcg${k}`] = counted === 0 ? Number.NaN : sums[ki].ndcg / counted;
    result[`hr${k}`] = counted === 0 ? Number.NaN : sums[ki].hr / counted;
  });
  return result;
}

export interface ScoredSamples {
  user: ArrayLike<number>;
  label: ArrayLike<number>;
  /** Logits, as the models output them. */
  score: ArrayLike<number>;
}

/** All sampled metrics of docs/method.md#metrics over test samples (scores are logits). */
export function computeMetrics(samples: ScoredSamples): Metrics {
  const { user, label, score } = samples;
  const ranking = rankingMetrics(user, label, score, [5, 10, 20]);
  return {
    auc: auc(label, score),
    uauc: uauc(user, label, score),
    logloss: loglossFromLogits(label, score),
    ndcg5: ranking.ndcg5,
    ndcg10: ranking.ndcg10,
    ndcg20: ranking.ndcg20,
    hr5: ranking.hr5,
    hr10: ranking.hr10,
    hr20: ranking.hr20,
  };
}

/**
 * 0-based rank of `target` among the candidates: every item id >= 1 (0 is padding) that is
 * not excluded, the target included even if excluded. Ties count against the target
 * (pessimistic, as above). `excluded` is a mask indexed by item id (non-zero = excluded) or
 * a set of item ids.
 */
export function rankAmong(scores: Float32Array, target: number, excluded: Uint8Array | Set<number>): number {
  if (target < 1 || target >= scores.length) {
    throw new RangeError(`rankAmong: target item ${target} is outside 1..${scores.length - 1}`);
  }
  const isExcluded = excluded instanceof Set ? (i: number) => excluded.has(i) : (i: number) => excluded[i] !== 0;
  const targetScore = scores[target];
  let rank = 0;
  for (let item = 1; item < scores.length; item++) {
    if (item === target || isExcluded(item)) continue;
    if (scores[item] >= targetScore || Number.isNaN(scores[item])) rank++;
  }
  return rank;
}

/** Full-catalog HR@k and NDCG@k from 0-based target ranks (one per device-period target). */
export function fullCatalogMetrics(ranks: Int32Array, k = 10): { hr: number; ndcg: number } {
  if (ranks.length === 0) return { hr: Number.NaN, ndcg: Number.NaN };
  let hr = 0;
  let ndcg = 0;
  for (const rank of ranks) {
    if (rank < k) {
      hr += 1;
      ndcg += 1 / Math.log2(rank + 2);
    }
  }
  return { hr: hr / ranks.length, ndcg: ndcg / ranks.length };
}
