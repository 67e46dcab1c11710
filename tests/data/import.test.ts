import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/data/import';
import type { Dataset, ImportProgress, SampleSet } from '../../src/data/types';
import {
  BOLD_TITLE,
  ML_TINY_MOVIES,
  ML_TINY_PER_USER,
  ML_TINY_USERS,
  SCRIPT_TITLE,
  makeMlTinyZip,
  mlTinyMovie,
  mlTinyMoviesCsv,
  mlTinyRatingsCsv,
  mlTinyTime,
} from '../fixtures/mlTiny';

const file = (name: string, text: string) => ({ name, data: strToU8(text) });
const bySource = (d: Dataset, sourceId: string) => d.items.find((i) => i.sourceId === sourceId)!;
/** One user's history as source item ids, oldest first. */
const historyOf = (d: Dataset, sourceUser: string) => {
  const h = d.histories!;
  const u = h.sourceIds.indexOf(sourceUser);
  return Array.from(h.items.subarray(h.offsets[u], h.offsets[u + 1]), (id) => d.items[id].sourceId);
};
const watched = (u: number) => Array.from({ length: ML_TINY_PER_USER }, (_, j) => String(mlTinyMovie(u, j)));

describe('MovieLens', () => {
  it('imports the committed ml-tiny.zip, which matches its generator', async () => {
    const zip = readFileSync(new URL('../fixtures/ml-tiny.zip', import.meta.url));
    const committed = unzipSync(new Uint8Array(zip));
    const fresh = unzipSync(makeMlTinyZip());
    expect(Object.keys(committed).sort()).toEqual(Object.keys(fresh).sort());
    for (const path of Object.keys(fresh)) expect(strFromU8(committed[path])).toBe(strFromU8(fresh[path]));

    const progress: ImportProgress[] = [];
    const d = await importFiles([{ name: 'ml-tiny.zip', data: zip }], 'auto', 'ML tiny', {
      onProgress: (p) => progress.push(p),
    });
    expect(d.format).toBe('movielens');
    expect(d.name).toBe('ML tiny');
    expect(d.id).toMatch(/^ml-tiny-/);
    expect(d.numUsers).toBe(ML_TINY_USERS);
    expect(d.numItems).toBe(ML_TINY_MOVIES);
    // Rows are sorted by movieId in the file; histories must follow the timestamps.
    expect(historyOf(d, '25')).toEqual(watched(25));
    expect(progress.map((p) => p.stage)).toContain('parsing');
    expect(progress.at(-1)!.stage).toBe('preprocessing');
  });

  it('keeps titles with markup byte-for-byte and splits off the year and genres', async () => {
    const d = await importFiles([{ name: 'ml-tiny.zip', data: makeMlTinyZip() }], 'movielens', 'x');
    expect(bySource(d, '1')).toMatchObject({ title: SCRIPT_TITLE, year: 1999, genres: ['Comedy', 'Drama'] });
    expect(bySource(d, '2')).toMatchObject({ title: BOLD_TITLE, year: 2001, genres: ['Action'] });
    expect(bySource(d, '3')).toMatchObject({ title: 'American President, The', year: 1995 });
    expect(bySource(d, '4')).toEqual({ id: bySource(d, '4').id, title: 'Untitled', genres: [], sourceId: '4' });
  });

  it('finds ratings.csv at any depth of a zip', async () => {
    const zip = zipSync({ 'a/b/c/ratings.csv': strToU8(mlTinyRatingsCsv()), 'a/notes.md': strToU8('hi') });
    const d = await importFiles([{ name: 'deep.zip', data: zip }], 'auto', 'deep');
    expect(d.numUsers).toBe(ML_TINY_USERS);
    expect(bySource(d, '7').title).toBe('Item 7');
  });

  it('reads ML-1M style ratings.dat and a Latin-1 movies.dat', async () => {
    const ratings = mlTinyRatingsCsv()
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').join('::'))
      .join('\n');
    const movies = mlTinyMoviesCsv()
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const m = /^(\d+),"?(.*?)"?,([^,]*)$/.exec(l)!;
        return `${m[1]}::${m[1] === '5' ? 'Misérables, Les (1995)' : m[2]}::${m[3]}`;
      });
    const latin1 = Uint8Array.from(movies.join('\n'), (ch) => ch.charCodeAt(0));
    const d = await importFiles([file('ratings.dat', ratings), { name: 'movies.dat', data: latin1 }], 'auto', 'dat');
    expect(d.format).toBe('movielens');
    expect(d.numUsers).toBe(ML_TINY_USERS);
    expect(historyOf(d, '25')).toEqual(watched(25));
    expect(bySource(d, '5')).toMatchObject({ title: 'Misérables, Les', year: 1995, genres: ['Drama'] });
    expect(bySource(d, '1').title).toBe(SCRIPT_TITLE);
  });
});

describe('Amazon ratings CSV', () => {
  it('reads string ids without a header and orders by timestamp', async () => {
    const lines: string[] = [];
    // Written newest first, so only the timestamps give the order.
    for (let u = ML_TINY_USERS; u >= 1; u--) {
      for (let j = ML_TINY_PER_USER - 1; j >= 0; j--) lines.push(`A${u}XZ,B00${mlTinyMovie(u, j)},5.0,${mlTinyTime(u, j)}`);
    }
    const d = await importFiles([file('ratings_Books.csv', lines.join('\n'))], 'auto', 'amazon');
    expect(d.format).toBe('amazon');
    expect(d.numUsers).toBe(ML_TINY_USERS);
    // Non-numeric ids keep their order of first appearance.
    expect(d.histories!.sourceIds[0]).toBe('A30XZ');
    expect(historyOf(d, 'A3XZ')).toEqual(watched(3).map((m) => `B00${m}`));
    expect(bySource(d, 'B0017').title).toBe('Item B0017');
  });
});

describe('SASRec text', () => {
  it('uses line order as time', async () => {
    const lines: string[] = [];
    // Users interleaved, one line per step.
    for (let j = 0; j < ML_TINY_PER_USER; j++) for (let u = 1; u <= ML_TINY_USERS; u++) lines.push(`${u} ${mlTinyMovie(u, j)}`);
    const d = await importFiles([file('Beauty.txt', lines.join('\n'))], 'auto', 'sasrec');
    expect(d.format).toBe('sasrec');
    expect(d.numItems).toBe(ML_TINY_MOVIES);
    expect(historyOf(d, '30')).toEqual(watched(30));
  });
});

describe('DUET reference text', () => {
  const train = [
    '1;5;0,0,0;3,4,0;1',
    '1;9;0,0,0;3,4,0;0',
    '1;6;0,0,0;3,4,5;1',
    '1;8;0,0,0;3,4,5;0',
    '2;7;0,0,0;1,0,0;1',
    '2;3;0,0,0;1,0,0;0',
  ];
  const test = ['2;4;1,0,0;1,7,0;1', '1;2;6,0,0;4,5,6;1', '1;11;6,0,0;4,5,6;0', '2;10;1,0,0;1,7,0;0'];

  it("takes samples as they are, holds out each user's last train positive, groups by user", async () => {
    const d = await importFiles([file('duet_train.txt', train.join('\n')), file('duet_test.txt', test.join('\n'))], 'auto', 'ref');
    expect(d.format).toBe('duet');
    expect(d.histories).toBeUndefined();
    expect(d.numItems).toBe(11);
    expect(d.numUsers).toBe(2);
    expect(d.options.seqLen).toBe(3);
    expect(d.items[11]).toEqual({ id: 11, title: 'Item 11', genres: [], sourceId: '11' });
    const given = (s: unknown) => s as SampleSet;
    expect(Array.from(given(d.train).target)).toEqual([5, 9]);
    expect(Array.from(d.valid.target)).toEqual([6, 8, 7, 3]);
    expect(Array.from(d.valid.user)).toEqual([0, 0, 1, 1]);
    expect(Array.from(d.test.user)).toEqual([0, 0, 1, 1]);
    expect(Array.from(d.test.target)).toEqual([2, 11, 4, 10]);
    expect(Array.from(d.test.label)).toEqual([1, 0, 1, 0]);
    expect(Array.from(given(d.test).clickSeq)).toEqual([4, 5, 6, 4, 5, 6, 1, 7, 0, 1, 7, 0]);
    expect(Array.from(given(d.test).triggerSeq)).toEqual([6, 0, 0, 6, 0, 0, 1, 0, 0, 1, 0, 0]);
    expect(d.stats.interactions).toBe(5);
  });
});

describe('default dataset files uploaded', () => {
  it('is detected from items.csv and interactions.csv', async () => {
    const items = ['item_id,title,creator,year,genres', '1,"Emma",Jane Austen,1815,Romance|Satire', '2,Ivanhoe,Walter Scott,,Adventure'];
    const interactions = ['user_id,item_id,timestamp'];
    for (let t = 0; t < 6; t++) for (const u of ['1', '2']) interactions.push(`${u},${(t % 2) + 1},${t}`);
    const d = await importFiles([file('items.csv', items.join('\n')), file('interactions.csv', interactions.join('\n'))], 'auto', 'd', {
      preprocess: { devicePeriod: 2, minUserInteractions: 1, minItemInteractions: 1 },
    });
    expect(d.format).toBe('default');
    expect(d.items[1]).toEqual({ id: 1, title: 'Emma', genres: ['Romance', 'Satire'], creator: 'Jane Austen', year: 1815, sourceId: '1' });
    expect(d.items[2]).toEqual({ id: 2, title: 'Ivanhoe', genres: ['Adventure'], creator: 'Walter Scott', sourceId: '2' });
    expect(d.truth).toBeUndefined();
  });
});
