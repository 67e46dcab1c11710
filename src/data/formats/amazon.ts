// Amazon review "ratings only" CSV: `user,item,rating,timestamp` without a header, ids
// are strings (e.g. A2SUAM1J3GNN3B, 0000013714). Every rating counts as an interaction.
import { InteractionsBuilder } from '../parsed';
import type { ParsedInteractions } from '../parsed';
import type { ParseContext, TextFile } from './shared';
import { numberField, requireFieldCount, streamFile } from './shared';
import { DataError } from '../types';

export async function parseAmazon(file: TextFile, ctx: ParseContext = {}): Promise<ParsedInteractions> {
  const builder = new InteractionsBuilder();
  await streamFile(
    file,
    (rows, firstRow) => {
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        const index = firstRow + r;
        // Tolerate a header line some exports add.
        if (index === 0 && row.length >= 4 && !/^\s*\d/.test(row[3])) continue;
        requireFieldCount(file.name, row, index, 4, 'user,item,rating,timestamp');
        const user = row[0].trim();
        const item = row[1].trim();
        if (user === '' || item === '') {
          throw new DataError('columns', `${file.name} row ${index + 1} has an empty user or item id.`);
        }
        builder.add(user, item, numberField(file.name, row[3], 'timestamp', index));
      }
    },
    ctx,
    { delimiter: ',' },
  );
  return builder.build();
}
