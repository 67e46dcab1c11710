import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/data/import';
import { exportBlob, exportFileName } from '../../workers/export';
import { makeMlTinyZip } from '../fixtures/mlTiny';

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('dataset export as one file', () => {
  it('names the file after the dataset and the format', () => {
    expect(exportFileName('MovieLens 1M (ratings)', 'duet')).toBe('movielens-1m-ratings-duet.zip');
    expect(exportFileName('MovieLens 1M (ratings)', 'recbole')).toBe('movielens-1m-ratings.inter');
    expect(exportFileName('<<>>', 'recbole')).toBe('dataset.inter');
  });

  it('zips train.txt (training + validation rows) and test.txt, and writes every interaction to .inter', async () => {
    const d = await importFiles([{ name: 'ml.zip', data: makeMlTinyZip() }], 'auto', 'ML tiny');
    const duet = exportBlob(d, 'duet');
    expect(duet.fileName).toBe('ml-tiny-duet.zip');
    const files = unzipSync(new Uint8Array(await duet.blob.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['test.txt', 'train.txt']);
    const train = lines(strFromU8(files['train.txt']));
    expect(train).toHaveLength(d.train.count + d.valid.count);
    expect(lines(strFromU8(files['test.txt']))).toHaveLength(d.test.count);
    expect(train[0].split(';')).toHaveLength(5);

    const inter = exportBlob(d, 'recbole');
    expect(inter.fileName).toBe('ml-tiny.inter');
    const rows = lines(await inter.blob.text());
    expect(rows[0]).toBe('user_id:token\titem_id:token\ttimestamp:float');
    expect(rows).toHaveLength(1 + d.stats.interactions);
  });
});
