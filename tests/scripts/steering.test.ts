import { describe, expect, it } from 'vitest';
import { deviceGenres, formatTable, genreShare, insideShare, meanCi95, summarize, type DrawGain } from '../../scripts/steering-measure';

// A four-item catalog: 1 and 2 are pure Poetry, 3 is Poetry and Drama, 4 is Drama.
const GENRES: Record<number, string[]> = { 1: ['Poetry'], 2: ['Poetry'], 3: ['Poetry', 'Drama'], 4: ['Drama'] };
const itemGenres = (id: number) => GENRES[id];

describe('genreShare', () => {
  it('counts an item with n genres as 1/n of a title in each', () => {
    expect(genreShare(itemGenres, [1, 2], 'Poetry')).toBe(1);
    expect(genreShare(itemGenres, [3, 4], 'Poetry')).toBe(0.25);
    expect(genreShare(itemGenres, [1, 3, 4, 4], 'Drama')).toBe((0.5 + 1 + 1) / 4);
    expect(genreShare(itemGenres, [], 'Poetry')).toBe(0);
  });
});

describe('insideShare and deviceGenres', () => {
  it('keeps the genres at or above the threshold and credits items inside them', () => {
    const inside = deviceGenres(['Poetry', 'Drama', 'War'], [0.7, 0.1, 0.05], 0.1);
    expect([...inside].sort()).toEqual(['Drama', 'Poetry']);
    expect(insideShare(itemGenres, [3, 4], inside)).toBe(1);
    expect(insideShare(itemGenres, [3, 4], new Set(['Drama']))).toBe(0.75);
  });
});

describe('meanCi95', () => {
  it('is the mean +- 1.96 standard errors', () => {
    const { mean, ci95 } = meanCi95([0, 1, 2, 3]);
    const half = 1.96 * Math.sqrt(((1.5 ** 2 + 0.5 ** 2) * 2) / 3 / 4);
    expect(mean).toBe(1.5);
    expect(ci95[0]).toBeCloseTo(1.5 - half, 12);
    expect(ci95[1]).toBeCloseTo(1.5 + half, 12);
  });

  it('gives a zero-width interval for one value and NaN for none', () => {
    expect(meanCi95([0.4])).toEqual({ mean: 0.4, ci95: [0.4, 0.4] });
    expect(Number.isNaN(meanCi95([]).mean)).toBe(true);
  });
});

describe('summarize', () => {
  const draws: DrawGain[] = [
    { genre: 'Poetry', gains: { base: 0.1, finetune: 0.0, duet: 0.5 } },
    { genre: 'Poetry', gains: { base: 0.1, finetune: 0.2, duet: 0.3 } },
    { genre: 'Drama', gains: { base: 0.2, finetune: 0.2, duet: 0.1 } },
  ];

  it('writes the benchmark JSON shape: summary per method, mean gain per genre', () => {
    const block = summarize(draws);
    expect(Object.keys(block.summary)).toEqual(['base', 'finetune', 'duet']);
    expect(Object.keys(block.genres)).toEqual(['Drama', 'Poetry']);
    expect(block.genres.Poetry.duet).toBeCloseTo(0.4, 12);
    expect(block.summary.duet.mean_gain).toBeCloseTo(0.3, 12);
    expect(block.summary.duet.ci95).toHaveLength(2);
    expect(block.summary.duet.ci95[0]).toBeLessThan(0.3);
    expect(block.summary.duet.ci95[1]).toBeGreaterThan(0.3);
  });

  it('counts a genre as won only when the mean gain is strictly above Base', () => {
    const { summary } = summarize(draws);
    expect(summary.duet.genres_won_vs_base).toBe(1); // Poetry 0.4 > 0.1; Drama 0.1 < 0.2
    expect(summary.finetune.genres_won_vs_base).toBe(0); // Poetry 0.1 = 0.1 is a tie; Drama tie
    expect(summary.base.genres_won_vs_base).toBe(0);
  });

  it('prints one row per genre and the summary rows', () => {
    const table = formatTable('genre', summarize(draws));
    expect(table).toContain('| Poetry | +0.100 | +0.100 | +0.400 |');
    expect(table).toContain('| genres won vs Base | - | 0/2 | 1/2 |');
  });
});
