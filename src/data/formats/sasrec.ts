// SASRec-style text: `user item` per line, already in time order, so the line number is the time.
import { InteractionsBuilder } from '../parsed';
import type { ParsedInteractions } from '../parsed';
import type { ParseContext, TextFile } from './shared';
import { requireFieldCount, streamFile } from './shared';
import { DataError } from '../types';

export async function parseSasrec(file: TextFile, ctx: ParseContext = {}): Promise<ParsedInteractions> {
  const builder = new InteractionsBuilder();
  const firstLine = file.text.split('\n', 1)[0];
  const delimiter = firstLine.includes('\t') ? '\t' : ' ';
  await streamFile(
    file,
    (rows, firstRow) => {
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r].filter((field) => field !== '');
        const index = firstRow + r;
        requireFieldCount(file.name, row, index, 2, 'user item');
        if (row.length > 2) {
          throw new DataError('columns', `${file.name} row ${index + 1} has ${row.length} fields, expected 2 (user item).`);
        }
        builder.add(row[0], row[1], index);
      }
    },
    ctx,
    { delimiter, noQuotes: true },
  );
  return builder.build();
}
