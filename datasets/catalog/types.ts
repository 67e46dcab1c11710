// The catalog's vocabulary: a fixed list of genres and one record per real work.
// Facts only (title, creator, first publication or first performance year, subjects).

export const GENRES = [
  'adventure',
  'mystery',
  'scifi',
  'fantasy',
  'gothic',
  'romance',
  'satire',
  'realism',
  'philosophy',
  'science',
  'history',
  'poetry',
  'drama',
  'children',
  'war',
  'travel',
  'religion',
  'economics',
  'memoir',
  'myth',
] as const;

export type Genre = (typeof GENRES)[number];

/** The names written to items.csv and truth.json. */
export const GENRE_LABELS: Record<Genre, string> = {
  adventure: 'Adventure',
  mystery: 'Mystery & Detective',
  scifi: 'Science Fiction',
  fantasy: 'Fantasy',
  gothic: 'Gothic & Horror',
  romance: 'Romance',
  satire: 'Satire & Humour',
  realism: 'Realist Fiction',
  philosophy: 'Philosophy',
  science: 'Natural Science',
  history: 'History',
  poetry: 'Poetry',
  drama: 'Drama',
  children: "Children's",
  war: 'War',
  travel: 'Travel',
  religion: 'Religion',
  economics: 'Politics & Economics',
  memoir: 'Biography & Memoir',
  myth: 'Myth & Epic',
};

export interface SeriesPosition {
  name: string;
  /** 1-based reading order within the series. */
  order: number;
}

export interface CatalogWork {
  title: string;
  creator: string;
  /** First publication (or first performance for plays); negative = BCE, approximate for ancient works. */
  year: number;
  /** First genre = primary. */
  genres: Genre[];
  series?: SeriesPosition;
}

/** [title, year, genres, series name]; entries of one series are listed in reading order. */
export type WorkEntry = readonly [string, number, readonly Genre[], string?];

/** Expands one creator's compact entries; series order is the order of listing. */
export function works(creator: string, entries: readonly WorkEntry[]): CatalogWork[] {
  const seen = new Map<string, number>();
  return entries.map(([title, year, genres, seriesName]) => {
    const work: CatalogWork = { title, creator, year, genres: [...genres] };
    if (seriesName !== undefined) {
      const order = (seen.get(seriesName) ?? 0) + 1;
      seen.set(seriesName, order);
      work.series = { name: seriesName, order };
    }
    return work;
  });
}
