import { describe, expect, it } from 'vitest';
import type { ItemMeta } from '../../src/data/types';
import type { SessionRanking } from '../../workers/api';
import {
  bytesUp,
  clickedGenres,
  dominantGenre,
  genreHue,
  genreMix,
  interestGenres,
  matchShare,
  percentile,
  rankChange,
} from '../../src/ui/session/ranking';

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

describe('what the lists are judged against', () => {
  const catalog = [item(0, []), item(1, ['Horror', 'Romance']), item(2, ['Romance']), item(3, ['War']), item(4, [])];

  it('takes the clicked genres in click order, each once', () => {
    expect(clickedGenres([2, 1, 2], catalog)).toEqual(['Romance', 'Horror']);
  });

  it('counts the share of a list with any target genre', () => {
    expect(matchShare([1, 2, 3, 4], catalog, new Set(['Horror']))).toBe(0.25);
    expect(matchShare([1, 2, 3, 4], catalog, new Set(['Romance', 'War']))).toBe(0.75);
    expect(matchShare([], catalog, new Set(['War']))).toBe(0);
  });

  it("picks a simulated user's strongest device-period genres", () => {
    const truth = { genres: ['A', 'B', 'C', 'D'], cloudInterest: [[1, 0, 0, 0]], deviceInterest: [[0.1, 0.5, 0, 0.4]] };
    expect(interestGenres(truth, 0, 2)).toEqual(['B', 'D']);
    expect(interestGenres(truth, 0)).toEqual(['B', 'D', 'A']);
    expect(interestGenres(truth, 7)).toEqual([]);
  });

  it('gives percentiles by nearest rank', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(19);
  });

  it('gives each genre its own stable hue', () => {
    const genres = ['A', 'B', 'C'];
    expect(new Set(genres.map((g) => genreHue(g, genres))).size).toBe(3);
    expect(genreHue('B', genres)).toBe(genreHue('B', genres));
  });
});

describe('the genre a session is about', () => {
  const catalog = [
    item(0, []),
    item(1, ['Gothic', 'Romance']),
    item(2, ['Gothic', 'Romance']),
    item(3, ['Romance']),
    item(4, ['Romance', 'War']),
    item(5, ['War']),
  ];
  it('is the genre most clicks carry, ties to the rarer one', () => {
    expect(dominantGenre([], catalog)).toEqual([]);
    expect(dominantGenre([1, 2], catalog)).toEqual(['Gothic']);
    expect(dominantGenre([1, 3], catalog)).toEqual(['Romance']);
    expect(dominantGenre([5, 4, 1], catalog)).toEqual(['War']);
    expect(dominantGenre([5, 5, 1], catalog)).toEqual(['Gothic']);
  });
});

describe('a preferred genre', () => {
  const catalog = [item(0, []), item(1, ['Gothic', 'Romance']), item(2, ['Gothic', 'Romance']), item(3, ['Romance'])];
  it('breaks a tie, but never beats a genre more clicks carry', () => {
    expect(dominantGenre([1, 2], catalog, 'Romance')).toEqual(['Romance']);
    expect(dominantGenre([1, 3], catalog, 'Gothic')).toEqual(['Romance']);
  });
});
