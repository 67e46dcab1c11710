// Lookup structures the simulator samples from: per-genre popularity pools (Zipf-like),
// works by creator, and series in reading order. Item indices are 0-based positions in CATALOG.
import { randomNormal, type Rng } from '../src/random.ts';
import { GENRES, type CatalogWork } from './catalog/index.ts';

export interface GenrePool {
  /** Item indices, most popular first. */
  items: Int32Array;
  /** Cumulative Zipf weights over `items`; the last entry is the total. */
  cumulative: Float64Array;
}

export interface CatalogIndex {
  works: readonly CatalogWork[];
  /** [numItems] genre indices (into GENRES) per item, primary first. */
  itemGenres: number[][];
  pools: GenrePool[];
  /** [numItems] popularity weight: the item's best Zipf weight over its genres. */
  popularity: Float64Array;
  byCreator: Map<string, number[]>;
  /** Series members in reading order, keyed by creator + series name. */
  series: Map<string, number[]>;
  /** [numItems] series key and 0-based position, or undefined. */
  seriesOf: ({ key: string; position: number } | undefined)[];
}

const GENRE_INDEX = new Map<string, number>(GENRES.map((g, i) => [g, i]));

/**
 * Fame is drawn per creator and per work (log-normal), so a famous author's works tend to
 * rank high in every genre they belong to; within a genre, the weight of rank r is 1/(r+1)^s.
 */
export function buildCatalogIndex(rng: Rng, works: readonly CatalogWork[], zipfExponent: number): CatalogIndex {
  const creatorFame = new Map<string, number>();
  const fame = new Float64Array(works.length);
  works.forEach((work, i) => {
    if (!creatorFame.has(work.creator)) creatorFame.set(work.creator, Math.exp(0.8 * randomNormal(rng)));
    fame[i] = creatorFame.get(work.creator)! * Math.exp(0.6 * randomNormal(rng));
  });

  const itemGenres = works.map((work) =>
    work.genres.map((g) => {
      const index = GENRE_INDEX.get(g);
      if (index === undefined) throw new Error(`Unknown genre "${g}" on "${work.title}"`);
      return index;
    }),
  );

  const popularity = new Float64Array(works.length);
  const pools: GenrePool[] = GENRES.map((_, g) => {
    const members = works.map((_, i) => i).filter((i) => itemGenres[i].includes(g));
    // Ties broken by index so the order never depends on the sort implementation.
    members.sort((a, b) => fame[b] - fame[a] || a - b);
    const cumulative = new Float64Array(members.length);
    let total = 0;
    members.forEach((item, rank) => {
      const weight = 1 / Math.pow(rank + 1, zipfExponent);
      total += weight;
      cumulative[rank] = total;
      popularity[item] = Math.max(popularity[item], weight);
    });
    return { items: Int32Array.from(members), cumulative };
  });

  const byCreator = new Map<string, number[]>();
  const series = new Map<string, number[]>();
  const seriesOf: CatalogIndex['seriesOf'] = works.map(() => undefined);
  works.forEach((work, i) => {
    byCreator.set(work.creator, [...(byCreator.get(work.creator) ?? []), i]);
    if (work.series) {
      const key = `${work.creator}\u0000${work.series.name}`;
      const members = series.get(key) ?? [];
      if (members[work.series.order - 1] !== undefined) {
        throw new Error(`Series "${work.series.name}" has two works at position ${work.series.order}`);
      }
      members[work.series.order - 1] = i;
      series.set(key, members);
    }
  });
  for (const [key, members] of series) {
    members.forEach((item, position) => (seriesOf[item] = { key, position }));
  }

  return { works, itemGenres, pools, popularity, byCreator, series, seriesOf };
}

/** Index into `cumulative` of the first entry >= target (binary search). */
export function searchCumulative(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
