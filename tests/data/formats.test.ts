// Imports a real user brings: every separator, JSON lines, RecBole .inter, both SASRec
// layouts, gzip, streamed zips with limits and honest headers, duplicates, leading zeros,
// impossible timestamps; all give the same histories as the plain MovieLens csv.
import 'fake-indexeddb/auto';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFiles, type ImportOptions } from '../../src/data/import';
import { openDuetStore } from '../../src/data/store';
import { exportDuetText, exportRecboleInter } from '../../src/data/export';
import type { Dataset, DatasetFormat } from '../../src/data/types';
import { DataError } from '../../src/data/types';
import {
  ML_TINY_MOVIES,
  ML_TINY_PER_USER,
  ML_TINY_USERS,
  makeMlTinyZip,
  mlTinyMovie,
  mlTinyMoviesCsv,
  mlTinyTime,
} from '../fixtures/mlTiny';

type Upload = { name: string; data: Uint8Array };
const file = (name: string, text: string): Upload => ({ name, data: strToU8(text) });

/** ml-tiny's ratings as (user, movie, time), in time order per user, users interleaved. */
const ratings: [number, number, number][] = [];
for (let j = 0; j < ML_TINY_PER_USER; j++) for (let u = 1; u <= ML_TINY_USERS; u++) ratings.push([u, mlTinyMovie(u, j), mlTinyTime(u, j)]);

/** One user's history as source item ids, oldest first. */
const historyOf = (d: Dataset, sourceUser: string) => {
  const h = d.histories!;
  const u = h.sourceIds.indexOf(sourceUser);
  return Array.from(h.items.subarray(h.offsets[u], h.offsets[u + 1]), (id) => d.items[id].sourceId);
};
const watched = (u: number, prefix = '') => Array.from({ length: ML_TINY_PER_USER }, (_, j) => `${prefix}${mlTinyMovie(u, j)}`);

async function load(files: Upload[], format: DatasetFormat | 'auto' = 'auto', options: ImportOptions = {}): Promise<Dataset> {
  return importFiles(files, format, 'test', options);
}

async function failure(files: Upload[], format: DatasetFormat | 'auto' = 'auto', options: ImportOptions = {}): Promise<DataError> {
  const error = await load(files, format, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

function expectMlTiny(d: Dataset, userPrefix = '') {
  expect(d.numUsers).toBe(ML_TINY_USERS);
  expect(d.numItems).toBe(ML_TINY_MOVIES);
  expect(historyOf(d, `${userPrefix}7`)).toEqual(watched(7));
  expect(d.stats.trainPositives).toBe(ML_TINY_USERS * (ML_TINY_PER_USER - 12));
}

describe('ratings logs with any separator', () => {
  it.each([
    ['::', 'ratings.dat'],
    ['|', 'log.txt'],
    ['\t', 'u.data'],
    [',', 'ratings.csv'],
  ])('reads "%s" separated rows', async (sep, name) => {
    const text = ratings.map(([u, m, t]) => [u, m, 4, t].join(sep)).join('\n');
    const d = await load([file(name, text)]);
    expectMlTiny(d);
  });

  it('reads a `|` file when the format is chosen', async () => {
    const text = ratings.map(([u, m, t]) => `${u}|${m}|4|${t}`).join('\n');
    expectMlTiny(await load([file('data.psv', text)], 'movielens'));
    expectMlTiny(await load([file('data.psv', text)], 'amazon'));
  });

  it('reads every piece the same when files are read in tiny chunks', async () => {
    const zip = makeMlTinyZip();
    const whole = await load([{ name: 'ml.zip', data: zip }]);
    const chunked = await load([{ name: 'ml.zip', data: zip }], 'auto', { chunkSize: 61 });
    expect(chunked.histories!.items).toEqual(whole.histories!.items);
    expect(chunked.items).toEqual(whole.items);
  });

  it('drops and counts exact duplicates and impossible timestamps', async () => {
    const rows = ratings.map(([u, m, t]) => `${u},${m},4,${t}`);
    const extra = ['1,5,4,-1', '2,6,3,9999999999', rows[0], rows[1], rows[1]];
    const d = await load([file('ratings.csv', ['userId,movieId,rating,timestamp', ...rows, ...extra].join('\n'))]);
    expectMlTiny(d);
    expect(d.stats.droppedDuplicates).toBe(3);
    expect(d.stats.droppedBadTimestamps).toBe(2);
  });

  it('keeps leading zeros in ids, so titles still match', async () => {
    const rows = ratings.map(([u, m, t]) => `${u},000${m},4,${t}`);
    const movies = mlTinyMoviesCsv().replace(/^(\d+),/gm, '000$1,');
    const d = await load([file('ratings.csv', ['userId,movieId,rating,timestamp', ...rows].join('\n')), file('movies.csv', movies)]);
    expect(d.items.find((i) => i.sourceId === '0003')!.title).toBe('American President, The');
    expect(d.items.filter((i) => i.title.startsWith('Item ')).length).toBe(0);
  });
});

describe('Amazon reviews as JSON lines', () => {
  it('reads the 2014/2018 keys (reviewerID, asin, unixReviewTime in seconds)', async () => {
    const lines = ratings.map(([u, m, t]) => JSON.stringify({ reviewerID: `A${u}`, asin: `${m}`, overall: 5, unixReviewTime: t }));
    const d = await load([file('reviews_Books_5.json', lines.join('\n'))]);
    expect(d.format).toBe('amazon');
    expectMlTiny(d, 'A');
  });

  it('reads the 2023 keys (user_id, parent_asin, timestamp in milliseconds), gzipped', async () => {
    const lines = ratings.map(([u, m, t]) =>
      JSON.stringify({ rating: 5, user_id: `A${u}`, asin: 'x', parent_asin: `${m}`, timestamp: t * 1000 }),
    );
    lines.push(JSON.stringify({ user_id: 'A1', parent_asin: '1', timestamp: 99_999_999_999_999 }));
    const d = await load([{ name: 'Books.jsonl.gz', data: gzipSync(strToU8(lines.join('\n'))) }]);
    expectMlTiny(d, 'A');
    expect(d.stats.droppedBadTimestamps).toBe(1);
  });

  it('names the keys it expected', async () => {
    const e = await failure([file('x.jsonl', '{"a":1}\n')], 'amazon');
    expect(e.message).toContain('reviewerID/asin/unixReviewTime');
  });
});

describe('RecBole and SASRec text', () => {
  it('reads an atomic .inter file by its typed header', async () => {
    const lines = ['user_id:token\titem_id:token\trating:float\ttimestamp:float', ...ratings.map(([u, m, t]) => `${u}\t${m}\t4\t${t}`)];
    const d = await load([file('ml-tiny.inter', lines.join('\n'))]);
    expect(d.format).toBe('recbole');
    expectMlTiny(d);
  });

  it('reads one line per user (user item item ...) as in the S3-Rec data releases', async () => {
    const lines = Array.from({ length: ML_TINY_USERS }, (_, k) => `${k + 1} ${watched(k + 1).join(' ')}`);
    const d = await load([file('Beauty.txt', lines.join('\n'))]);
    expect(d.format).toBe('sasrec');
    expectMlTiny(d);
  });

  it('reads `user item` per line, tab separated', async () => {
    const d = await load([file('Beauty.txt', ratings.map(([u, m]) => `${u}\t${m}`).join('\n'))]);
    expectMlTiny(d);
  });
});

describe('gzip and zip: streamed, limited, checked', () => {
  const ratingsCsv = ['userId,movieId,rating,timestamp', ...ratings.map(([u, m, t]) => `${u},${m},4,${t}`)].join('\n');

  it('reads ratings.csv.gz', async () => {
    const d = await load([{ name: 'ratings.csv.gz', data: gzipSync(strToU8(ratingsCsv)) }]);
    expect(d.format).toBe('movielens');
    expectMlTiny(d);
  });

  it('stops a zip bomb at the inflate limit with a sentence', async () => {
    const bomb = zipSync({ 'ratings.csv': new Uint8Array(4 << 20).fill(0x31) }, { level: 9 });
    expect(bomb.length).toBeLessThan(64 << 10);
    const e = await failure([{ name: 'bomb.zip', data: bomb }], 'auto', { inflateLimit: 1 << 20 });
    expect(e.code).toBe('too-large');
    expect(e.message).toContain('1 MiB');
    const g = await failure([{ name: 'bomb.csv.gz', data: gzipSync(new Uint8Array(4 << 20).fill(0x31)) }], 'auto', {
      inflateLimit: 1 << 20,
    });
    expect(g.code).toBe('too-large');
  });

  /** Rewrites the uncompressed size of the first entry in the zip's central directory. */
  function withClaimedSize(zip: Uint8Array, size: number): Uint8Array {
    const out = zip.slice();
    const view = new DataView(out.buffer);
    for (let at = out.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) === 0x06054b50) {
        const dir = view.getUint32(at + 16, true);
        view.setUint32(dir + 24, size, true);
        return out;
      }
    }
    throw new Error('no central directory');
  }

  it('refuses an entry whose header understates or overstates its size, importing nothing', async () => {
    const zip = zipSync({ 'ratings.csv': strToU8(ratingsCsv) });
    const store = await openDuetStore({ name: 'formats-lying-zip' });
    for (const claimed of [1000, ratingsCsv.length + 10]) {
      const e = await failure([{ name: 'lying.zip', data: withClaimedSize(zip, claimed) }]);
      expect(e.code).toBe('damaged');
      expect(e.message).toMatch(/header says/);
    }
    expect(await store.listDatasets()).toEqual([]);
    store.close();
  });
});

describe('DUET reference text in any line order', () => {
  /**
   * Users with a history of `length` items (item = 100 * user + step); train rows are
   * positives at steps 1..length-2 each with 2 negatives, click sequences capped at L.
   */
  function duetFiles(users: number, length: number, L: number, ids: (x: number) => number = (x) => x) {
    const seq = (items: number[]) =>
      [...items.slice(-L), ...new Array(Math.max(0, L - items.length)).fill(0)].map((x) => (x === 0 ? 0 : ids(x))).join(',');
    const train: string[] = [];
    const test: string[] = [];
    for (let u = 1; u <= users; u++) {
      const history = Array.from({ length }, (_, s) => 100 * u + s + 1);
      const zeros = new Array(L).fill(0).join(',');
      for (let s = 1; s < length - 1; s++) {
        const click = seq(history.slice(0, s));
        train.push(`${ids(u)};${ids(history[s])};${zeros};${click};1`);
        for (const n of [1, 2]) train.push(`${ids(u)};${ids(100 * ((u % users) + 1) + n + 50)};${zeros};${click};0`);
      }
      const click = seq(history.slice(0, length - 1));
      test.push(`${ids(u)};${ids(history[length - 1])};${seq([history[length - 2]])};${click};1`);
      test.push(`${ids(u)};${ids(100 * ((u % users) + 1) + 60)};${seq([history[length - 2]])};${click};0`);
    }
    return { train, test };
  }

  function shuffled<T>(rows: T[], seed: number): T[] {
    const out = rows.slice();
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  const upload = (train: string[], test: string[]) => [file('train.txt', train.join('\n')), file('test.txt', test.join('\n'))];

  it("finds each user's latest positive and its negatives whatever the order, also with capped sequences", async () => {
    const { train, test } = duetFiles(6, 12, 4);
    const ordered = await load(upload(train, test));
    const mixed = await load(upload(shuffled(train, 3), shuffled(test, 5)));
    for (const d of [ordered, mixed]) {
      expect(d.format).toBe('duet');
      expect(d.valid.count).toBe(6 * 3);
      const positives = Array.from(
        d.valid.target.filter((_, r) => d.valid.label[r] === 1),
        (id) => d.items[id].sourceId,
      );
      expect(positives).toEqual(['111', '211', '311', '411', '511', '611']);
      expect(d.stats.warnings).toBeUndefined();
      expect(d.stats.trainPositives).toBe(6 * 9);
      expect(d.stats.validPositives).toBe(6);
    }
    expect(Array.from(mixed.valid.user)).toEqual(Array.from(ordered.valid.user));
  });

  it('remaps sparse and huge ids densely; refuses ids from 2^31 and sequences of length 0', async () => {
    for (const offset of [5e6, 2e9]) {
      const { train, test } = duetFiles(3, 8, 3, (x) => x + offset);
      const d = await load(upload(train, test));
      expect(d.numItems).toBe(
        new Set([...train, ...test].flatMap((l) => l.split(';').slice(1, 4).join(',').split(',')).filter((x) => x !== '0')).size,
      );
      expect(d.numUsers).toBe(3);
      expect(d.items[1].sourceId).toBe(String(101 + offset));
    }
    const { train, test } = duetFiles(3, 8, 3);
    const huge = await failure(upload([...train, `1;3000000000;0,0,0;101,0,0;1`], test));
    expect(huge.code).toBe('bad-id');
    expect(huge.message).toContain('below 2^31');
    const empty = await failure(upload(['1;5;;;1', ...train], test), 'duet');
    expect(empty.message).toMatch(/at least one id/);
  });

  it('refuses a train file that leaves no training sample', async () => {
    const { test } = duetFiles(3, 8, 3);
    const e = await failure(upload(['1;5;0,0,0;3,0,0;1', '1;9;0,0,0;3,0,0;0', '2;7;0,0,0;1,0,0;1', '2;8;0,0,0;1,0,0;0'], test));
    expect(e.code).toBe('too-small');
    expect(e.message).toMatch(/no training sample left/);
  });

  it('says when validation is degenerate and falls back to keeping the last epoch', async () => {
    const { train, test } = duetFiles(4, 8, 3);
    const positivesOnly = train.filter((line) => line.endsWith(';1'));
    const d = await load(upload(positivesOnly, test));
    expect(d.valid.count).toBe(0);
    expect(d.stats.warnings?.[0]).toMatch(/Validation is degenerate: only 0 of 4 users.*last epoch/);
    expect(d.train.count).toBe(positivesOnly.length);
  });
});

describe('export for other tools', () => {
  it('writes DUET text and RecBole .inter that import back to the same data', async () => {
    const d = await load([{ name: 'ml.zip', data: makeMlTinyZip() }]);
    const join = (f: { parts: string[] }) => f.parts.join('');
    const [train, test] = exportDuetText(d);
    expect(train.name).toBe('train.txt');
    const back = await load([file('train.txt', join(train)), file('test.txt', join(test))]);
    expect(back.format).toBe('duet');
    expect(back.stats.testPositives).toBe(d.stats.testPositives);
    expect(back.test.count).toBe(d.test.count);
    expect(back.valid.count).toBe(d.valid.count);
    expect(back.train.count).toBe(d.train.count);
    const [inter] = exportRecboleInter(d);
    const again = await load([file(inter.name, join(inter))]);
    expect(again.format).toBe('recbole');
    expect(again.histories!.items).toEqual(d.histories!.items);
    expect(again.items.map((i) => i.sourceId)).toEqual(d.items.map((i) => i.sourceId));
  });
});
