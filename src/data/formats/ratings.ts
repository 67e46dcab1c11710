// Rating and interaction logs in delimited text, whatever the separator (`::`, `|`, tab,
// comma, spaces): MovieLens ratings.csv / ratings.dat / u.data, Amazon ratings CSV, RecBole
// atomic `.inter` files (header `user_id:token item_id:token rating:float timestamp:float`).
// Columns come from the header when there is one, else user, item, rating, time. Every
// row counts as an interaction, whatever its rating (implicit feedback, as the reference).
import { InteractionsBuilder, type ParsedInteractions } from '../parsed';
import type { ParseContext, TextFile } from './shared';
import { firstLine, headerColumns, integerId, numberField, requireFieldCount, streamFile } from './shared';
import { DataError } from '../types';

export interface RatingsOptions {
  /** Ids must be whole numbers, and a header must name these columns (MovieLens). */
  integerIds?: { user: string; item: string; time: string };
  /** The layout a file without header has, shown in messages. */
  layout: string;
}

const USER = ['userid', 'user_id', 'user', 'reviewerid', 'customer_id', 'visitorid', 'session_id'];
const ITEM = ['movieid', 'item_id', 'item', 'itemid', 'asin', 'parent_asin', 'product_id', 'track_id', 'book_id'];
const TIME = ['timestamp', 'time', 'unixreviewtime', 'date', 'ts'];

/** The separator of a line: `::`, tab, `|`, comma, `;`, else runs of spaces. */
export function guessSeparator(line: string): string {
  for (const sep of ['::', '\t', '|', ',', ';']) if (line.includes(sep)) return sep;
  return ' ';
}

export function splitFields(line: string, sep: string): string[] {
  return sep === ' ' ? line.trim().split(/ +/) : line.split(sep);
}

export async function parseRatings(file: TextFile, ctx: ParseContext, options: RatingsOptions): Promise<ParsedInteractions> {
  const head = await firstLine(file);
  const sep = guessSeparator(head);
  const names = splitFields(head, sep).map((h) =>
    h
      .trim()
      .replace(/^"|"$/g, '')
      .replace(/:[a-z_]+$/i, '')
      .toLowerCase(),
  );
  const find = (wanted: string[]) => names.findIndex((n) => wanted.includes(n));
  const named = options.integerIds;
  const hasHeader = named ? names.some((n) => /[a-z]/.test(n)) : find(USER) >= 0 && find(ITEM) >= 0;
  const columns =
    named && hasHeader
      ? headerColumns(
          file.name,
          splitFields(head, sep).map((h) => h.replace(/:[a-z_]+$/i, '')),
          named,
        )
      : hasHeader
        ? { user: find(USER), item: find(ITEM), time: find(TIME) }
        : { user: 0, item: 1, time: -1 };
  if (!hasHeader) {
    const width = splitFields(head, sep).length;
    // user item [rating] time: the last of 3+ columns is the time.
    columns.time = width >= 4 ? 3 : width === 3 ? 2 : -1;
  }
  const builder = new InteractionsBuilder({ clock: columns.time >= 0 ? 'auto' : undefined });
  const need = Math.max(columns.user, columns.item, columns.time) + 1;
  const label = named ?? { user: 'user id', item: 'item id', time: 'timestamp' };
  const id = named
    ? (v: string, column: string, row: number) => integerId(file.name, v, column, row)
    : (v: string, column: string, row: number) => {
        const t = v.trim().replace(/^"(.*)"$/, '$1');
        if (t === '') throw new DataError('columns', `${file.name} row ${row + 1} has an empty ${column}.`);
        return t;
      };
  let line = 0;
  await streamFile(
    file,
    (rows, firstRow) => {
      for (let r = 0; r < rows.length; r++) {
        const index = firstRow + r;
        if (hasHeader && index === 0) continue;
        const row = sep === ' ' ? rows[r].filter((f) => f !== '') : rows[r];
        requireFieldCount(file.name, row, index, need, hasHeader ? head.trim() : options.layout);
        const time = columns.time >= 0 ? numberField(file.name, row[columns.time], label.time, index) : line;
        line++;
        builder.add(id(row[columns.user], label.user, index), id(row[columns.item], label.item, index), time);
      }
    },
    ctx,
    { delimiter: sep, noQuotes: sep !== ',' },
  );
  return builder.build();
}
