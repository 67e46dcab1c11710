// SASRec-style text in both layouts people publish: `user item` per line in time order
// (the SASRec repository), or one line per user `user item item item ...` (the
// S3-Rec/ICLRec/DuoRec data releases). Space or tab separated; order is time.
import { InteractionsBuilder } from '../parsed';
import type { ParsedInteractions } from '../parsed';
import type { ParseContext, TextFile } from './shared';
import { firstLine, requireFieldCount, streamFile } from './shared';
import { DataError } from '../types';

export async function parseSasrec(file: TextFile, ctx: ParseContext = {}): Promise<ParsedInteractions> {
  const builder = new InteractionsBuilder();
  const delimiter = (await firstLine(file)).includes('\t') ? '\t' : ' ';
  let layout: 'pairs' | 'per-user' | undefined;
  let time = 0;
  await streamFile(
    file,
    (rows, firstRow) => {
      // The first piece decides: any line with more than one item means one line per user.
      layout ??= rows.some((row) => row.filter((f) => f !== '').length > 2) ? 'per-user' : 'pairs';
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r].filter((field) => field !== '');
        const index = firstRow + r;
        requireFieldCount(file.name, row, index, 2, layout === 'pairs' ? 'user item' : 'user item item ...');
        if (layout === 'pairs' && row.length > 2) {
          throw new DataError(
            'columns',
            `${file.name} row ${index + 1} has ${row.length} fields, expected 2 (user item) like the rows before it.`,
          );
        }
        for (let k = 1; k < row.length; k++) builder.add(row[0], row[k], time++);
      }
    },
    ctx,
    { delimiter, noQuotes: true },
  );
  return builder.build();
}
