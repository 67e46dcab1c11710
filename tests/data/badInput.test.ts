import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/data/import';
import type { DatasetFormat } from '../../src/data/types';
import { DataError } from '../../src/data/types';
import { SCRIPT_TITLE, makeMlTinyZip, mlTinyMoviesCsv, mlTinyRatingsCsv } from '../fixtures/mlTiny';

type Upload = { name: string; data: Uint8Array };
const file = (name: string, text: string): Upload => ({ name, data: strToU8(text) });

async function failure(files: Upload[], format: DatasetFormat | 'auto' = 'auto', options = {}): Promise<DataError> {
  try {
    await importFiles(files, format, 'bad', options);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('the import should have failed');
}

describe('bad input', () => {
  it('rejects an empty file', async () => {
    const e = await failure([{ name: 'ratings.csv', data: new Uint8Array(0) }]);
    expect(e.code).toBe('empty');
    expect(e.message).toBe('ratings.csv is empty.');
  });

  it('rejects a file of blank lines', async () => {
    expect((await failure([file('ratings.csv', '\n \n\n')])).code).toBe('empty');
    expect((await failure([file('data.txt', '\n \n')])).code).toBe('empty');
  });

  it('names the missing column', async () => {
    const e = await failure([file('ratings.csv', 'userId,rating,timestamp\n1,4.0,10\n')]);
    expect(e.code).toBe('columns');
    expect(e.message).toContain('missing the column movieId');
  });

  it('rejects rows with too few fields', async () => {
    const e = await failure([file('ratings.dat', '1::2::5::978300760\n1::3\n')]);
    expect(e.code).toBe('columns');
    expect(e.message).toContain('ratings.dat row 2 has 2 fields, expected 4');
  });

  it('rejects a non-numeric MovieLens id with its row', async () => {
    const e = await failure([file('ratings.csv', 'userId,movieId,rating,timestamp\n1,10,4.0,5\nabc,11,3.5,6\n')]);
    expect(e.code).toBe('non-numeric');
    expect(e.message).toBe('ratings.csv row 3: userId "abc" is not a whole number.');
    const t = await failure([file('ratings.csv', 'userId,movieId,rating,timestamp\n1,10,4.0,soon\n')]);
    expect(t.code).toBe('non-numeric');
    expect(t.message).toContain('timestamp "soon"');
  });

  it('rejects a binary file', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect((await failure([{ name: 'photo.png', data: png }])).code).toBe('binary');
    expect((await failure([{ name: 'ratings.csv', data: png }])).code).toBe('binary');
  });

  it('rejects text that is not UTF-8', async () => {
    const latin1 = Uint8Array.from('userId,movieId,rating,timestamp\n1,2,3,4 caf\xe9\n', (c) => c.charCodeAt(0));
    const e = await failure([{ name: 'ratings.csv', data: latin1 }]);
    expect(e.code).toBe('binary');
    expect(e.message).toContain('not UTF-8');
    // Detected by content, not by name: still refused as not UTF-8.
    const bom16 = await failure([{ name: 'export.csv', data: Uint8Array.from([0xff, 0xfe, 0x41, 0x42, 0x0a]) }]);
    expect(bom16.code).toBe('binary');
  });

  it('lists what a zip holds when no dataset file is in it', async () => {
    const zip = zipSync({ 'photos/cat.png': Uint8Array.from([1, 2, 3]), 'README.txt': strToU8('nothing here') });
    const e = await failure([{ name: 'holiday.zip', data: zip }]);
    expect(e.code).toBe('zip-unknown');
    expect(e.message).toContain('photos/cat.png');
    expect(e.message).toContain('README.txt');
    const images = zipSync({ 'a.png': Uint8Array.from([1]) });
    expect((await failure([{ name: 'images.zip', data: images }])).code).toBe('zip-unknown');
  });

  it('rejects a corrupt zip', async () => {
    const zip = makeMlTinyZip().slice(0, 200);
    expect((await failure([{ name: 'broken.zip', data: zip }])).code).toBe('binary');
  });

  it('says how many users pass when the dataset is too small', async () => {
    const lines = ['userId,movieId,rating,timestamp'];
    for (let u = 1; u <= 12; u++) for (let m = 1; m <= 3; m++) lines.push(`${u},${m},4.0,${m}`);
    const e = await failure([file('ratings.csv', lines.join('\n'))]);
    expect(e.code).toBe('too-small');
    expect(e.message).toContain('0 of 12 users have at least 20 interactions');
  });

  it('refuses a format the files do not match', async () => {
    const e = await failure([file('ratings.csv', mlTinyRatingsCsv())], 'duet');
    expect(e.code).toBe('columns');
    expect(e.message).toContain('duet format');
    expect((await failure([file('notes.md', 'hello there, how are you\nfine')])).code).toBe('columns');
  });

  it('keeps a title with a script tag as plain data', async () => {
    const d = await importFiles([file('ratings.csv', mlTinyRatingsCsv()), file('movies.csv', mlTinyMoviesCsv())], 'auto', 'x');
    const item = d.items.find((i) => i.sourceId === '1')!;
    expect(item.title).toBe(SCRIPT_TITLE);
    expect(Array.from(strToU8(item.title))).toEqual(Array.from(strToU8('<script>alert(1)</script>')));
  });
});

describe('cancellation', () => {
  it('stops before starting when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await failure([{ name: 'ml-tiny.zip', data: makeMlTinyZip() }], 'auto', { signal: controller.signal });
    expect(e.code).toBe('cancelled');
  });

  it('stops after parsing once aborted (mid-file stops: csv.test.ts)', async () => {
    const controller = new AbortController();
    let parsingReports = 0;
    const e = await failure([file('ratings.csv', mlTinyRatingsCsv()), file('movies.csv', mlTinyMoviesCsv())], 'auto', {
      signal: controller.signal,
      onProgress: (p: { stage: string }) => {
        if (p.stage === 'parsing' && ++parsingReports === 1) controller.abort();
      },
    });
    expect(e.code).toBe('cancelled');
    expect(parsingReports).toBe(1);
  });
});

describe('zip contents', () => {
  it('finds an extensionless DUET train/test pair inside a zip', async () => {
    const zip = zipSync({
      'duet/train': strToU8('1;5;0,0;3,4;1\n1;9;0,0;3,4;0\n1;6;0,0;4,5;1\n'),
      'duet/test': strToU8('1;2;6,0;5,6;1\n1;7;6,0;5,6;0\n'),
    });
    const d = await importFiles([{ name: 'ref.zip', data: zip }], 'auto', 'ref');
    expect(d.format).toBe('duet');
    expect(d.test.count).toBe(2);
  });
});
