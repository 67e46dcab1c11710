import { describe, expect, it } from 'vitest';
import {
  auc,
  computeMetrics,
  fullCatalogMetrics,
  logloss,
  loglossFromLogits,
  rankAmong,
  rankingMetrics,
  uauc,
} from '../../src/engine/metrics';

describe('auc', () => {
  it('counts correctly ordered positive/negative pairs', () => {
    // pairs (pos, neg): (.9,.8) ok, (.9,.1) ok, (.3,.8) wrong, (.3,.1) ok -> 3/4
    expect(auc([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1])).toBeCloseTo(0.75, 12);
  });
  it('gives tied pairs half credit (average ranks)', () => {
    // (.5 vs .5) tie 0.5, (.5,.2) 1, (.7,.5) 1, (.7,.2) 1 -> 3.5/4
    expect(auc([1, 0, 1, 0], [0.5, 0.5, 0.7, 0.2])).toBeCloseTo(0.875, 12);
    expect(auc([1, 0, 0, 1], [1, 1, 1, 1])).toBeCloseTo(0.5, 12);
  });
  it('is NaN with a single class', () => {
    expect(auc([1, 1], [0.1, 0.2])).toBeNaN();
    expect(auc([], [])).toBeNaN();
  });
  it('rejects inputs of different lengths', () => {
    expect(() => auc([1, 0], [0.1])).toThrow(/different lengths/);
  });
});

describe('uauc', () => {
  it('averages per-user AUC over users with both classes', () => {
    // user 7: pos .2 vs negs .5, .1 -> 1/2; user 8: pos 3 vs neg 1 -> 1; user 9: negatives only, skipped
    const users = [7, 7, 7, 8, 8, 9, 9];
    const labels = [1, 0, 0, 1, 0, 0, 0];
    const scores = [0.2, 0.5, 0.1, 3, 1, 0, 0];
    expect(uauc(users, labels, scores)).toBeCloseTo(0.75, 12);
  });
  it('handles samples of a user that are not contiguous', () => {
    expect(uauc([1, 2, 1, 2], [1, 1, 0, 0], [0.9, 0.1, 0.2, 0.5])).toBeCloseTo(0.5, 12); // (1 + 0) / 2
  });
  it('is NaN when no user has both classes', () => {
    expect(uauc([1, 2], [1, 0], [0.3, 0.4])).toBeNaN();
  });
});

describe('logloss', () => {
  it('from probabilities', () => {
    // -(ln .8 + ln .6) / 2 = (0.2231436 + 0.5108256) / 2
    expect(logloss([1, 0], [0.8, 0.4])).toBeCloseTo(0.3669846, 6);
  });
  it('clips probabilities so a confident mistake stays finite', () => {
    expect(logloss([0], [1])).toBeCloseTo(-Math.log(1e-7), 4); // 16.118
    expect(logloss([1], [0], 1e-3)).toBeCloseTo(-Math.log(1e-3), 6);
  });
  it('from logits, stably', () => {
    // sigmoid(0) = .5, label 1 -> ln 2; sigmoid(ln 4) = .8, label 0 -> -ln .2; mean (0.6931472 + 1.6094379) / 2
    expect(loglossFromLogits([1, 0], [0, Math.log(4)])).toBeCloseTo(1.1512925, 6);
    expect(loglossFromLogits([0], [1000])).toBeCloseTo(1000, 6);
    expect(loglossFromLogits([1], [1000])).toBeCloseTo(0, 12);
  });
});

describe('rankingMetrics', () => {
  // user A: one positive scored lowest of 5 -> rank 4.
  // user B: positives at ranks 0 and 1 -> DCG = IDCG = 1 + 1/log2 3.
  // user C: negatives only -> not counted.
  // user D: positive and negative tied at .5 -> pessimistic order puts the positive at rank 1.
  const users = [1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4];
  const labels = [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0];
  const scores = [0.1, 0.9, 0.5, 0.3, 0.2, 0.8, 0.6, 0.7, 0.4, 0.3, 0.5, 0.5];
  const m = rankingMetrics(users, labels, scores, [1, 3, 10]);
  it('k = 1: only B hits', () => {
    expect(m.hr1).toBeCloseTo(1 / 3, 12);
    expect(m.ndcg1).toBeCloseTo(1 / 3, 12);
  });
  it('k = 3: B (1) and D (1/log2 3 = 0.6309298) hit', () => {
    expect(m.hr3).toBeCloseTo(2 / 3, 12);
    expect(m.ndcg3).toBeCloseTo((0 + 1 + 0.6309298) / 3, 6);
  });
  it('k larger than every list: A adds 1/log2 6 = 0.3868528', () => {
    expect(m.hr10).toBeCloseTo(1, 12);
    expect(m.ndcg10).toBeCloseTo((0.3868528 + 1 + 0.6309298) / 3, 6);
  });
  it('IDCG stops at min(k, #positives)', () => {
    // positives at ranks 0, 2, 3; k = 2: DCG = 1, IDCG = 1 + 1/log2 3 = 1.6309298
    const r = rankingMetrics([5, 5, 5, 5], [1, 0, 1, 1], [0.9, 0.8, 0.7, 0.6], [2]);
    expect(r.ndcg2).toBeCloseTo(1 / 1.6309298, 6);
    expect(r.hr2).toBe(1);
  });
  it('is NaN without any positive', () => {
    expect(rankingMetrics([1, 1], [0, 0], [1, 2], [5]).ndcg5).toBeNaN();
  });
});

describe('computeMetrics', () => {
  it('combines the sampled metrics on logits', () => {
    const m = computeMetrics({
      user: new Int32Array([1, 1, 2, 2]),
      label: new Float32Array([1, 0, 0, 1]),
      score: new Float32Array([2, 0, 1, -1]),
    });
    // global pairs: (2 vs 0) 1, (2 vs 1) 1, (-1 vs 0) 0, (-1 vs 1) 0 -> 0.5; per user: 1 and 0 -> 0.5
    expect(m.auc).toBeCloseTo(0.5, 12);
    expect(m.uauc).toBeCloseTo(0.5, 12);
    // user 1 hits at rank 0 (1), user 2 at rank 1 (1/log2 3)
    expect(m.hr5).toBe(1);
    expect(m.ndcg5).toBeCloseTo((1 + 0.6309298) / 2, 6);
    // softplus(2) - 2 = 0.126928, softplus(0) = 0.693147, softplus(1) = 1.313262, softplus(-1) + 1 = 1.313262
    expect(m.logloss).toBeCloseTo((0.126928 + 0.693147 + 1.313262 + 1.313262) / 4, 5);
  });
});

describe('full catalog', () => {
  const scores = new Float32Array([9, 0.5, 0.9, 0.1, 0.5, 0.7]); // index 0 = padding, ignored
  it('ranks the target among non-excluded items, ties against it', () => {
    // target 1 (.5), item 2 excluded: 3 (.1) below, 4 (.5) tie counts, 5 (.7) above -> 2
    expect(rankAmong(scores, 1, new Set([2]))).toBe(2);
    expect(rankAmong(scores, 1, new Uint8Array(6))).toBe(3);
    const mask = new Uint8Array(6);
    mask[5] = 1;
    mask[1] = 1; // the target itself is still ranked
    expect(rankAmong(scores, 1, mask)).toBe(2);
    expect(() => rankAmong(scores, 0, new Set())).toThrow(/outside/);
  });
  it('turns ranks into HR@k and NDCG@k', () => {
    // ranks 0 and 3 are in the top 10: hr 2/3, ndcg (1 + 1/log2 5) / 3 = (1 + 0.4306766) / 3
    const m = fullCatalogMetrics(new Int32Array([0, 3, 12]), 10);
    expect(m.hr).toBeCloseTo(2 / 3, 12);
    expect(m.ndcg).toBeCloseTo(1.4306766 / 3, 6);
  });
});
