// The default dataset (datasets/default): items.csv `item_id,title,creator,year,genres`
// (genres `|`-joined), interactions.csv `user_id,item_id,timestamp`, and truth.json with
// each simulated user's genre interests in the cloud and the device period.
import { InteractionsBuilder } from '../parsed';
import type { ParsedInteractions, SourceItemMeta } from '../parsed';
import { preprocess } from '../preprocess';
import type { Dataset, PreprocessOptions, SimulatedTruth, UserHistories } from '../types';
import { DataError } from '../types';
import type { ParseContext, RowSink, TextFile } from './shared';
import { headerColumns, integerId, numberField, parseAll, requireFieldCount, streamFile } from './shared';

export const defaultDatasetIdentity = {
  id: 'default',
  name: 'Classic books (simulated)',
  format: 'default',
} as const;

export interface DefaultDatasetTexts {
  itemsCsv: string;
  interactionsCsv: string;
  truthJson: string;
}

/** Synchronous: the default dataset is small and embedded in the app. */
export function buildDefaultDataset(texts: DefaultDatasetTexts, options: Partial<PreprocessOptions> = {}): Dataset {
  const builder = new InteractionsBuilder();
  const meta = new Map<string, SourceItemMeta>();
  parseAll({ name: 'items.csv', text: texts.itemsCsv }, itemsSink('items.csv', meta), { delimiter: ',' });
  parseAll({ name: 'interactions.csv', text: texts.interactionsCsv }, interactionsSink('interactions.csv', builder), {
    delimiter: ',',
  });
  const data = preprocess(builder.build(meta), options);
  return {
    ...defaultDatasetIdentity,
    createdAt: Date.now(),
    ...data,
    truth: parseTruth(texts.truthJson, data.histories!),
  };
}

/** The same files uploaded by hand: streamed like any other import; truth.json optional. */
export async function parseDefaultFiles(
  files: { items: TextFile; interactions: TextFile },
  ctx: ParseContext = {},
): Promise<ParsedInteractions> {
  const builder = new InteractionsBuilder();
  const meta = new Map<string, SourceItemMeta>();
  await streamFile(files.items, itemsSink(files.items.name, meta), ctx, { delimiter: ',' });
  await streamFile(files.interactions, interactionsSink(files.interactions.name, builder), ctx, { delimiter: ',' });
  return builder.build(meta);
}

function itemsSink(name: string, meta: Map<string, SourceItemMeta>): RowSink {
  let c = { id: 0, title: 1, creator: 2, year: 3, genres: 4 };
  return (rows, firstRow) => {
    if (rows.length === 0) return;
    let start = 0;
    if (firstRow === 0) {
      c = headerColumns(name, rows[0], { id: 'item_id', title: 'title', creator: 'creator', year: 'year', genres: 'genres' });
      start = 1;
    }
    for (let r = start; r < rows.length; r++) {
      const row = rows[r];
      requireFieldCount(name, row, firstRow + r, 5, 'item_id,title,creator,year,genres');
      const year = row[c.year].trim() === '' ? undefined : numberField(name, row[c.year], 'year', firstRow + r);
      const creator = row[c.creator].trim();
      meta.set(integerId(name, row[c.id], 'item_id', firstRow + r), {
        title: row[c.title],
        genres: row[c.genres].split('|').filter((g) => g !== ''),
        ...(creator !== '' ? { creator } : {}),
        ...(year !== undefined ? { year } : {}),
      });
    }
  };
}

function interactionsSink(name: string, builder: InteractionsBuilder): RowSink {
  let c = { user: 0, item: 1, time: 2 };
  return (rows, firstRow) => {
    if (rows.length === 0) return;
    let start = 0;
    if (firstRow === 0) {
      c = headerColumns(name, rows[0], { user: 'user_id', item: 'item_id', time: 'timestamp' });
      start = 1;
    }
    for (let r = start; r < rows.length; r++) {
      const row = rows[r];
      const index = firstRow + r;
      requireFieldCount(name, row, index, 3, 'user_id,item_id,timestamp');
      builder.add(row[c.user].trim(), integerId(name, row[c.item], 'item_id', index), numberField(name, row[c.time], 'timestamp', index));
    }
  };
}

interface TruthFile {
  genres: string[];
  users: Record<string, { cloud: number[]; device: number[] }>;
}

/** Reorders truth.json's users into the dataset's dense user order. */
export function parseTruth(json: string, histories: UserHistories): SimulatedTruth {
  let truth: TruthFile;
  try {
    truth = JSON.parse(json) as TruthFile;
  } catch (error) {
    throw new DataError('columns', `truth.json is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(truth?.genres) || typeof truth.users !== 'object' || truth.users === null) {
    throw new DataError('columns', 'truth.json must hold "genres" (a list) and "users" (an object by user id).');
  }
  const cloudInterest: number[][] = [];
  const deviceInterest: number[][] = [];
  for (const id of histories.sourceIds) {
    const user = truth.users[id];
    if (!user || !Array.isArray(user.cloud) || !Array.isArray(user.device)) {
      throw new DataError('columns', `truth.json has no cloud/device interests for user ${id}.`);
    }
    cloudInterest.push(user.cloud);
    deviceInterest.push(user.device);
  }
  return { genres: truth.genres, cloudInterest, deviceInterest };
}
