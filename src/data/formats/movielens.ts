// MovieLens: ratings.csv (+ movies.csv) of ml-latest(-small)/ml-20m/ml-25m, and the
// `::`-separated ratings.dat (+ movies.dat) of ml-1m/ml-10m. Every rating counts as an
// interaction, whatever its value (implicit feedback, as in the reference's datasets).
import { parseRatings } from './ratings';
import type { ParsedInteractions, SourceItemMeta } from '../parsed';
import type { ParseContext, RowSink, TextFile } from './shared';
import { headerColumns, integerId, requireFieldCount, streamFile } from './shared';

export interface MovieLensFiles {
  ratings: TextFile;
  movies?: TextFile;
}

const isDat = (file: TextFile) => file.name.toLowerCase().endsWith('.dat');

export async function parseMovieLens(files: MovieLensFiles, ctx: ParseContext = {}): Promise<ParsedInteractions> {
  const { ratings, movies } = files;
  const parsed = await parseRatings(ratings, ctx, {
    integerIds: { user: 'userId', item: 'movieId', time: 'timestamp' },
    layout: isDat(ratings) ? 'UserID::MovieID::Rating::Timestamp' : 'userId,movieId,rating,timestamp',
  });
  let meta: Map<string, SourceItemMeta> | undefined;
  if (movies) {
    meta = new Map();
    const options = isDat(movies) ? { delimiter: '::', noQuotes: true } : { delimiter: ',' };
    await streamFile(movies, moviesSink(movies, meta), ctx, options);
  }
  return { ...parsed, itemMeta: meta };
}

function moviesSink(file: TextFile, meta: Map<string, SourceItemMeta>): RowSink {
  const name = file.name;
  const dat = isDat(file);
  let columns = { id: 0, title: 1, genres: 2 };
  return (rows, firstRow) => {
    if (rows.length === 0) return;
    let start = 0;
    if (!dat && firstRow === 0) {
      columns = headerColumns(name, rows[0], { id: 'movieId', title: 'title', genres: 'genres' });
      start = 1;
    }
    for (let r = start; r < rows.length; r++) {
      const row = rows[r];
      requireFieldCount(name, row, firstRow + r, 3, dat ? 'MovieID::Title::Genres' : 'movieId,title,genres');
      const id = integerId(name, row[columns.id], 'movieId', firstRow + r);
      meta.set(id, { ...splitTitleYear(row[columns.title]), genres: splitGenres(row[columns.genres]) });
    }
  };
}

/** "Toy Story (1995)" -> title "Toy Story", year 1995; other text stays as is. */
export function splitTitleYear(raw: string): { title: string; year?: number } {
  const match = /^(.*\S)\s*\((\d{4})(?:[-–]\d{0,4})?\)\s*$/.exec(raw);
  return match ? { title: match[1], year: Number(match[2]) } : { title: raw.trim() };
}

function splitGenres(raw: string | undefined): string[] {
  if (!raw || raw.trim() === '(no genres listed)') return [];
  return raw
    .split('|')
    .map((g) => g.trim())
    .filter((g) => g !== '');
}
