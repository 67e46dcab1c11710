import { describe, expect, it } from 'vitest';
import { parseMovieLens } from '../../src/data/formats/movielens';
import { InteractionsBuilder } from '../../src/data/parsed';
import { preprocess } from '../../src/data/preprocess';
import { subsampleUsers } from '../../src/data/subsample';
import { readRows } from '../../src/data/samples';
import type { Samples } from '../../src/data/types';
import { DataError } from '../../src/data/types';
import { mlTinyMoviesCsv, mlTinyRatingsCsv } from '../fixtures/mlTiny';

/** User 1 watched 101..107 (file order shuffled, 106 and 107 tie at t=6); user 2 watched 108,109,110,101,102; user 3 only 3 items. */
function handMade() {
  const b = new InteractionsBuilder();
  for (const [item, t] of [
    [104, 4],
    [101, 1],
    [106, 6],
    [103, 3],
    [107, 6],
    [102, 2],
    [105, 5],
  ])
    b.add('1', String(item), t);
  for (const [item, t] of [
    [108, 1],
    [109, 2],
    [110, 3],
    [101, 4],
    [102, 5],
  ])
    b.add('2', String(item), t);
  for (const [item, t] of [
    [101, 1],
    [102, 2],
    [103, 3],
  ])
    b.add('3', String(item), t);
  return b.build();
}

const tiny = { devicePeriod: 2, seqLen: 3, negatives: 2, minUserInteractions: 1, minItemInteractions: 1, seed: 7 };

/** Rows of a sample set as readable tuples. */
function rows(s: Samples, epoch = 0) {
  const all = readRows(
    s,
    Array.from({ length: s.count }, (_, r) => r),
    epoch,
  );
  return Array.from({ length: s.count }, (_, r) => ({
    user: all.user[r],
    target: all.target[r],
    label: all.label[r],
    click: Array.from(all.click.subarray(r * s.seqLen, (r + 1) * s.seqLen)),
    trigger: Array.from(all.trigger.subarray(r * s.seqLen, (r + 1) * s.seqLen)),
  }));
}

const positives = (s: Samples) =>
  rows(s)
    .filter((r) => r.label === 1)
    .map(({ label: _, ...rest }) => rest);

describe('preprocess on a hand-made history', () => {
  const d = preprocess(handMade(), tiny);

  it('drops users below devicePeriod + 2 interactions and orders histories by time, ties in file order', () => {
    expect(d.numUsers).toBe(2);
    expect(d.numItems).toBe(10);
    const h = d.histories!;
    expect(h.sourceIds).toEqual(['1', '2']);
    expect(Array.from(h.offsets)).toEqual([0, 7, 12]);
    expect(Array.from(h.items)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2]);
    expect(Array.from(h.devicePeriodStart)).toEqual([5, 10]);
    expect(d.items.map((i) => i.sourceId)).toEqual(['', '101', '102', '103', '104', '105', '106', '107', '108', '109', '110']);
    expect(d.items[3]).toEqual({ id: 3, title: 'Item 103', genres: [], sourceId: '103' });
  });

  it('takes train targets from the 2nd cloud interaction to the one before the last', () => {
    expect(positives(d.train)).toEqual([
      { user: 0, target: 2, click: [1, 0, 0], trigger: [0, 0, 0] },
      { user: 0, target: 3, click: [1, 2, 0], trigger: [0, 0, 0] },
      { user: 0, target: 4, click: [1, 2, 3], trigger: [0, 0, 0] },
      { user: 1, target: 9, click: [8, 0, 0], trigger: [0, 0, 0] },
    ]);
  });

  it('holds out the last cloud interaction for validation', () => {
    expect(positives(d.valid)).toEqual([
      { user: 0, target: 5, click: [2, 3, 4], trigger: [0, 0, 0] },
      { user: 1, target: 10, click: [8, 9, 0], trigger: [0, 0, 0] },
    ]);
  });

  it('tests on the device period with the earlier device clicks as trigger', () => {
    expect(positives(d.test)).toEqual([
      { user: 0, target: 6, click: [3, 4, 5], trigger: [0, 0, 0] },
      { user: 0, target: 7, click: [4, 5, 6], trigger: [6, 0, 0] },
      { user: 1, target: 1, click: [8, 9, 10], trigger: [0, 0, 0] },
      { user: 1, target: 2, click: [9, 10, 1], trigger: [1, 0, 0] },
    ]);
  });

  it('follows each positive by its negatives: same user and sequences, untouched items, distinct', () => {
    const untouched = [new Set([8, 9, 10]), new Set([3, 4, 5, 6, 7])];
    for (const set of [d.train, d.valid, d.test]) {
      const all = rows(set);
      expect(all.map((r) => r.label)).toEqual(all.map((_, k) => (k % 3 === 0 ? 1 : 0)));
      for (let k = 0; k < all.length; k += 3) {
        const [pos, n1, n2] = all.slice(k, k + 3);
        for (const neg of [n1, n2]) {
          expect(untouched[pos.user].has(neg.target)).toBe(true);
          expect({ ...neg, target: 0, label: 0 }).toEqual({ ...pos, target: 0, label: 0 });
        }
        expect(n1.target).not.toBe(n2.target);
      }
    }
  });

  it('redraws training negatives per epoch, the same for the same (seed, epoch), and can keep them fixed', () => {
    const targets = (s: Samples, epoch: number) => rows(s, epoch).map((r) => r.target);
    const again = preprocess(handMade(), tiny);
    expect(targets(again.train, 1)).toEqual(targets(d.train, 1));
    const big = preprocess(handMade(), { ...tiny, negatives: 2 });
    const epochs = [0, 1, 2, 3].map((e) => targets(big.train, e).join());
    expect(new Set(epochs).size).toBeGreaterThan(1);
    const fixed = preprocess(handMade(), { ...tiny, trainNegatives: 'fixed' });
    expect(targets(fixed.train, 3)).toEqual(targets(fixed.train, 0));
    expect(rows(d.train, 1).map((r) => r.label)).toEqual(rows(d.train, 0).map((r) => r.label));
  });

  it('reads any subset of training rows alone exactly as in a full read', () => {
    const all = rows(d.train, 2);
    const some = [7, 0, 11, 3];
    const picked = readRows(d.train, some, 2);
    expect(Array.from(picked.target)).toEqual(some.map((r) => all[r].target));
    expect(Array.from(picked.user)).toEqual(some.map((r) => all[r].user));
  });

  it('refuses a dataset that leaves no training sample, with a sentence', () => {
    const b = new InteractionsBuilder();
    for (let u = 0; u < 3; u++) for (let i = 0; i < 4; i++) b.add(String(u), String(i), i);
    expect(() => preprocess(b.build(), tiny)).toThrow(/No training sample is left/);
  });

  it('counts rows, negatives included, in the stats', () => {
    expect(d.stats).toEqual({
      users: 2,
      items: 10,
      interactions: 12,
      trainSamples: 12,
      validSamples: 6,
      testSamples: 12,
      meanHistory: 6,
      top10PctShare: 2 / 12,
      trainPositives: 4,
      validPositives: 2,
      testPositives: 4,
      droppedUsers: 1,
      droppedItems: 0,
      droppedDuplicates: 0,
      droppedBadTimestamps: 0,
    });
  });
});

describe('filtering', () => {
  it('repeats until no user or item falls below its threshold', () => {
    const b = new InteractionsBuilder();
    let t = 0;
    for (const [user, items] of [
      ['u1', 'abcd'],
      ['u2', 'abcd'],
      ['u3', 'abcx'],
    ] as const) {
      for (const item of items) b.add(user, item, t++);
    }
    // x has 1 interaction and goes; u3 is then left with 3 < 4 and goes too.
    const d = preprocess(b.build(), { ...tiny, devicePeriod: 1, minUserInteractions: 4, minItemInteractions: 2 });
    expect(d.histories!.sourceIds).toEqual(['u1', 'u2']);
    expect(d.items.slice(1).map((i) => i.sourceId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('says how many users pass when none survives', () => {
    const b = new InteractionsBuilder();
    for (let u = 0; u < 12; u++) for (let i = 0; i < 3; i++) b.add(String(u), String(i), i);
    const error = (() => {
      try {
        preprocess(b.build());
      } catch (e) {
        return e;
      }
    })() as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.code).toBe('too-small');
    expect(error.message).toContain('0 of 12 users have at least 20 interactions');
  });
});

describe('negative sampling on ml-tiny', async () => {
  const parsed = await parseMovieLens({
    ratings: { name: 'ratings.csv', text: mlTinyRatingsCsv() },
    movies: { name: 'movies.csv', text: mlTinyMoviesCsv() },
  });

  it('never picks an item the user touched, in either period', () => {
    const d = preprocess(parsed, { seed: 1 });
    const h = d.histories!;
    for (const set of [d.train, d.valid, d.test]) {
      for (const row of rows(set, 1)) {
        if (row.label === 1) continue;
        expect(Array.from(h.items.subarray(h.offsets[row.user], h.offsets[row.user + 1]))).not.toContain(row.target);
      }
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const a = preprocess(parsed, { seed: 1 });
    const b = preprocess(parsed, { seed: 1 });
    const c = preprocess(parsed, { seed: 2 });
    const [ta, tb, tc] = [a, b, c].map((d) =>
      readRows(
        d.train,
        Array.from({ length: d.train.count }, (_, r) => r),
      ),
    );
    expect(tb.target).toEqual(ta.target);
    expect(b.test.target).toEqual(a.test.target);
    expect(tc.label).toEqual(ta.label);
    const differing = ta.target.filter((v, r) => v !== tc.target[r]).length;
    expect(differing).toBeGreaterThan(a.train.count / 2);
  });

  it('splits 25 ratings into 13 train, 1 valid and 10 test positives per user', () => {
    const d = preprocess(parsed);
    expect(d.numUsers).toBe(30);
    expect(d.numItems).toBe(60);
    expect(d.train.count).toBe(30 * 13 * 5);
    expect(d.valid.count).toBe(30 * 5);
    expect(d.test.count).toBe(30 * 10 * 5);
  });
});

describe('an explicit subsample of users', async () => {
  const parsed = await parseMovieLens({ ratings: { name: 'ratings.csv', text: mlTinyRatingsCsv() } });
  const d = { id: 'x', name: 'x', format: 'movielens' as const, createdAt: 0, ...preprocess(parsed, { seed: 3 }) };

  it('keeps whole users and the catalog, seeded, and says so with numbers', () => {
    const { dataset, note } = subsampleUsers(d, 10);
    expect(dataset.numUsers).toBe(10);
    expect(dataset.numItems).toBe(d.numItems);
    expect(dataset.stats.trainPositives).toBe(10 * 13);
    expect(dataset.valid.count).toBe(10 * 5);
    expect(dataset.test.count).toBe(10 * 10 * 5);
    expect(note).toBe('Training on a seeded sample of 10 of 30 users (130 of 390 training positives); the catalog is unchanged.');
    expect(dataset.stats.warnings).toContain(note);
    const h = dataset.histories!;
    const u = h.sourceIds[0];
    const full = d.histories!;
    const v = full.sourceIds.indexOf(u);
    expect(h.items.subarray(h.offsets[0], h.offsets[1])).toEqual(full.items.subarray(full.offsets[v], full.offsets[v + 1]));
    expect(subsampleUsers(d, 10).dataset.histories!.sourceIds).toEqual(h.sourceIds);
    expect(subsampleUsers(d, 30).note).toBe('');
  });
});
