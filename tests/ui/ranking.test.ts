import { describe, expect, it } from 'vitest';
import type { ItemMeta } from '../../src/data/types';
import type { SessionRanking } from '../../workers/api';
import { bytesUp, genreMix, rankChange } from '../../src/ui/session/ranking';

const ranking = (ids: number[]): SessionRanking => ({ method: 'duet', top: ids.map((itemId) => ({ itemId, score: 0 })), computeMs: 1 });
const item = (id: number, genres: string[]): ItemMeta => ({ id, title: `#${id}`, genres, sourceId: String(id) });

describe('rank changes since the last click', () => {
  const before = ranking([7, 3, 9]);
  it('counts places moved up as positive and down as negative', () => {
    expect(rankChange(9, 0, before)).toBe(2);
    expect(rankChange(7, 2, before)).toBe(-2);
    expect(rankChange(3, 1, before)).toBe(0);
  });
  it('marks an item new to the list with null, and nothing before the first list', () => {
    expect(rankChange(4, 0, before)).toBeNull();
    expect(rankChange(4, 0, undefined)).toBeUndefined();
  });
});

describe('genre mix of a list', () => {
  const catalog = [item(0, []), item(1, ['War']), item(2, ['War', 'Poetry']), item(3, ['Drama']), item(4, [])];
  it('splits each item evenly over its genres and over the list', () => {
    const mix = genreMix([1, 2, 3, 4], catalog);
    expect(mix.get('War')).toBeCloseTo(0.25 + 0.125);
    expect(mix.get('Poetry')).toBeCloseTo(0.125);
    expect(mix.get('Drama')).toBeCloseTo(0.25);
  });
});

describe('bytes on the wire', () => {
  it('sends 4 bytes per click', () => {
    expect(bytesUp(0)).toBe(0);
    expect(bytesUp(30)).toBe(120);
  });
});
