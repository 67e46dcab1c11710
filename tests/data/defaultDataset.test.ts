import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDefaultDataset } from '../../src/data/formats/defaultDataset';
import { DataError } from '../../src/data/types';

const itemsCsv = [
  'item_id,title,creator,year,genres',
  '1,Emma,Jane Austen,1815,romance|satire',
  '2,"Ivanhoe, A Romance",Walter Scott,1819,adventure|history',
  '3,<i>Dracula</i>,Bram Stoker,1897,gothic',
  '4,Beowulf,,,poetry|myth',
].join('\n');

/** Users 10, 2 and 7 (listed in that order), 5 reads each over items 1..4. */
function interactionsCsv(): string {
  const lines = ['user_id,item_id,timestamp'];
  const reads: Record<string, number[]> = { '10': [1, 2, 3, 4, 1], '2': [4, 3, 2, 1, 4], '7': [2, 1, 4, 3, 2] };
  for (const [user, items] of Object.entries(reads)) items.forEach((item, t) => lines.push(`${user},${item},${100 + t}`));
  return lines.join('\n');
}

const truthJson = JSON.stringify({
  genres: ['romance', 'adventure'],
  users: {
    '10': { cloud: [1, 0], device: [0, 1] },
    '2': { cloud: [0.2, 0.8], device: [0.5, 0.5] },
    '7': { cloud: [0.7, 0.3], device: [0.3, 0.7] },
  },
});

const loose = { devicePeriod: 2, negatives: 1, minUserInteractions: 1, minItemInteractions: 1 };

describe('buildDefaultDataset', () => {
  it('names the dataset, keeps creator/year/genres and maps truth to the dense user order', () => {
    const d = buildDefaultDataset({ itemsCsv, interactionsCsv: interactionsCsv(), truthJson }, loose);
    expect(d).toMatchObject({ id: 'default', name: 'Classic books (simulated)', format: 'default' });
    expect(d.items.slice(1)).toEqual([
      { id: 1, title: 'Emma', creator: 'Jane Austen', year: 1815, genres: ['romance', 'satire'], sourceId: '1' },
      { id: 2, title: 'Ivanhoe, A Romance', creator: 'Walter Scott', year: 1819, genres: ['adventure', 'history'], sourceId: '2' },
      { id: 3, title: '<i>Dracula</i>', creator: 'Bram Stoker', year: 1897, genres: ['gothic'], sourceId: '3' },
      { id: 4, title: 'Beowulf', genres: ['poetry', 'myth'], sourceId: '4' },
    ]);
    expect(d.histories!.sourceIds).toEqual(['2', '7', '10']);
    expect(d.truth).toEqual({
      genres: ['romance', 'adventure'],
      cloudInterest: [
        [0.2, 0.8],
        [0.7, 0.3],
        [1, 0],
      ],
      deviceInterest: [
        [0.5, 0.5],
        [0.3, 0.7],
        [0, 1],
      ],
    });
    expect(Array.from(d.test.target.filter((_, r) => d.test.label[r] === 1))).toEqual([1, 4, 3, 2, 4, 1]);
  });

  it('refuses truth.json without an entry for a user', () => {
    const partial = JSON.stringify({ genres: ['x'], users: { '10': { cloud: [1], device: [1] } } });
    expect(() => buildDefaultDataset({ itemsCsv, interactionsCsv: interactionsCsv(), truthJson: partial }, loose)).toThrow(DataError);
  });

  const real = new URL('../../datasets/default/', import.meta.url);
  const present = ['items.csv', 'interactions.csv', 'truth.json'].every((f) => existsSync(new URL(f, real)));
  it.skipIf(!present)('builds the shipped default dataset with the default filters', () => {
    const read = (f: string) => readFileSync(new URL(f, real), 'utf8');
    const d = buildDefaultDataset({
      itemsCsv: read('items.csv'),
      interactionsCsv: read('interactions.csv'),
      truthJson: read('truth.json'),
    });
    expect(d.numUsers).toBeGreaterThan(0);
    expect(d.truth!.cloudInterest.length).toBe(d.numUsers);
    expect(d.truth!.cloudInterest[0].length).toBe(d.truth!.genres.length);
    expect(d.test.count).toBe(d.numUsers * d.options.devicePeriod * (1 + d.options.negatives));
  });
});
