import { describe, expect, it } from 'vitest';
import { CATALOG, GENRES, GENRE_LABELS } from '../../datasets/catalog/index.ts';
import { works } from '../../datasets/catalog/types.ts';

describe('catalog', () => {
  it('holds 1,000 to ~2,000 works, each (title, creator) once', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(1000);
    expect(CATALOG.length).toBeLessThanOrEqual(2100);
    const keys = CATALOG.map((w) => `${w.title}\u0000${w.creator}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('only lists works first published before 1929 (public domain in the US)', () => {
    const late = CATALOG.filter((w) => w.year > 1928).map((w) => `${w.title} (${w.year})`);
    expect(late).toEqual([]);
  });

  it('gives every work known genres, and every genre a pool of at least 80 works', () => {
    for (const work of CATALOG) {
      expect(work.genres.length).toBeGreaterThan(0);
      expect(new Set(work.genres).size).toBe(work.genres.length);
      for (const g of work.genres) expect(GENRES).toContain(g);
    }
    for (const g of GENRES) {
      expect(CATALOG.filter((w) => w.genres.includes(g)).length, g).toBeGreaterThanOrEqual(80);
      expect(GENRE_LABELS[g]).not.toContain('|');
    }
  });

  it('numbers each series 1..n without gaps', () => {
    const orders = new Map<string, number[]>();
    for (const w of CATALOG) {
      if (!w.series) continue;
      const key = `${w.creator}/${w.series.name}`;
      orders.set(key, [...(orders.get(key) ?? []), w.series.order]);
    }
    expect(orders.size).toBeGreaterThan(50);
    for (const [key, list] of orders) {
      expect(
        [...list].sort((a, b) => a - b),
        key,
      ).toEqual(list.map((_, i) => i + 1));
    }
  });

  it('keeps well-known facts and series orders', () => {
    const find = (title: string, creator: string) => CATALOG.find((w) => w.title === title && w.creator === creator);
    expect(find('Pride and Prejudice', 'Jane Austen')?.year).toBe(1813);
    expect(find('A Study in Scarlet', 'Arthur Conan Doyle')?.series).toEqual({ name: 'Sherlock Holmes', order: 1 });
    expect(find('The Hound of the Baskervilles', 'Arthur Conan Doyle')?.series?.order).toBe(5);
    expect(find('The Deerslayer', 'James Fenimore Cooper')?.series).toEqual({ name: 'Leatherstocking Tales', order: 5 });
    expect(find('Doctor Pascal', 'Émile Zola')?.series).toEqual({ name: 'Rougon-Macquart', order: 20 });
    expect(find('Glinda of Oz', 'L. Frank Baum')?.series?.order).toBe(14);
  });
});

describe('works', () => {
  it('numbers series entries in listing order, per series', () => {
    const list = works('A', [
      ['One', 1900, ['mystery'], 'S'],
      ['Standalone', 1901, ['poetry']],
      ['Two', 1902, ['mystery'], 'S'],
      ['Other', 1903, ['war'], 'T'],
    ]);
    expect(list.map((w) => w.series?.order ?? 0)).toEqual([1, 0, 2, 1]);
    expect(list[1]).toEqual({ title: 'Standalone', creator: 'A', year: 1901, genres: ['poetry'] });
  });
});
