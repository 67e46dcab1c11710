// Amazon reviews. The "ratings only" CSV: `user,item,rating,timestamp` without a header,
// ids are strings (e.g. A2SUAM1J3GNN3B, 0000013714). The review dumps as JSON lines:
// 2014/2018 keys reviewerID / asin / unixReviewTime (seconds), 2023 keys user_id /
// parent_asin (or asin) / timestamp (milliseconds). Every review counts as an interaction.
import { records } from '../csv';
import { InteractionsBuilder, type ParsedInteractions } from '../parsed';
import { DataError } from '../types';
import { parseRatings } from './ratings';
import type { ParseContext, TextFile } from './shared';
import { firstLine, textInput } from './shared';

export async function parseAmazon(file: TextFile, ctx: ParseContext = {}): Promise<ParsedInteractions> {
  if ((await firstLine(file)).trimStart().startsWith('{')) return parseJsonLines(file, ctx);
  return parseRatings(file, ctx, { layout: 'user,item,rating,timestamp' });
}

type Keys = { user: string; item: string; time: string; clock: 'seconds' | 'milliseconds' };
const KEY_SETS: Keys[] = [
  { user: 'reviewerID', item: 'asin', time: 'unixReviewTime', clock: 'seconds' },
  { user: 'user_id', item: 'parent_asin', time: 'timestamp', clock: 'milliseconds' },
  { user: 'user_id', item: 'asin', time: 'timestamp', clock: 'milliseconds' },
];

export async function parseJsonLines(file: TextFile, ctx: ParseContext = {}): Promise<ParsedInteractions> {
  let keys: Keys | undefined;
  let builder: InteractionsBuilder | undefined;
  let line = 0;
  for await (const piece of records(textInput(file), { noQuotes: true, chunkSize: ctx.chunkSize })) {
    for (const text of piece.text.split('\n')) {
      line++;
      if (text.trim() === '') continue;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new DataError('columns', `${file.name} line ${line} is not valid JSON.`);
      }
      keys ??= KEY_SETS.find((k) => k.user in row && k.item in row && k.time in row);
      if (!keys) {
        throw new DataError(
          'columns',
          `${file.name} line ${line} has neither reviewerID/asin/unixReviewTime (Amazon 2014/2018) nor ` +
            `user_id/parent_asin/timestamp (Amazon 2023); its keys are ${Object.keys(row).slice(0, 12).join(', ')}.`,
        );
      }
      builder ??= new InteractionsBuilder({ clock: keys.clock });
      const user = row[keys.user];
      const item = row[keys.item];
      const time = Number(row[keys.time]);
      if (
        (typeof user !== 'string' && typeof user !== 'number') ||
        (typeof item !== 'string' && typeof item !== 'number') ||
        String(user) === '' ||
        String(item) === ''
      ) {
        throw new DataError('columns', `${file.name} line ${line} has no ${keys.user} or ${keys.item}.`);
      }
      if (!Number.isFinite(time)) throw new DataError('non-numeric', `${file.name} line ${line}: ${keys.time} is not a number.`);
      builder.add(String(user), String(item), time);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (ctx.signal?.aborted) throw new DataError('cancelled', 'The import was cancelled.');
    ctx.onProgress?.(file.name, piece.fraction);
  }
  if (!builder) throw new DataError('empty', `${file.name} has no reviews.`);
  return builder.build();
}
