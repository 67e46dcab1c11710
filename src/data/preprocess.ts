// Shared preprocessing for every dataset: filter, reindex, split by time, sample
// (docs/method.md, "Samples"). Filtering repeats to a fixed point (see filter.ts).
import { filterInteractions, toUserHistories } from './filter';
import type { ParsedInteractions } from './parsed';
import { buildSamples } from './samples';
import { computeStats } from './stats';
import type { Dataset, ItemMeta, PreprocessOptions } from './types';
import { DataError } from './types';

export const defaultPreprocessOptions: PreprocessOptions = {
  devicePeriod: 10,
  seqLen: 30,
  negatives: 4,
  minUserInteractions: 20,
  minItemInteractions: 5,
  seed: 2023,
};

/** Everything of a Dataset except its identity (id, name, format, createdAt). */
export type PreprocessedData = Omit<Dataset, 'id' | 'name' | 'format' | 'createdAt'>;

export function resolvePreprocessOptions(options: Partial<PreprocessOptions> = {}): PreprocessOptions {
  const o = { ...defaultPreprocessOptions, ...stripUndefined(options) };
  for (const [key, min] of [
    ['devicePeriod', 1],
    ['seqLen', 1],
    ['negatives', 0],
    ['minUserInteractions', 1],
    ['minItemInteractions', 1],
  ] as const) {
    if (!Number.isInteger(o[key]) || o[key] < min) throw new RangeError(`${key} must be an integer >= ${min}, got ${o[key]}`);
  }
  if (o.trainNegatives !== undefined && o.trainNegatives !== 'epoch' && o.trainNegatives !== 'fixed') {
    throw new RangeError(`trainNegatives must be "epoch" or "fixed", got ${String(o.trainNegatives)}`);
  }
  return o;
}

/**
 * Users need 2 cloud-period interactions besides the device period (one validation
 * target with a non-empty click sequence), so the user threshold is raised to
 * devicePeriod + 2 when set lower.
 */
export function preprocess(parsed: ParsedInteractions, options: Partial<PreprocessOptions> = {}): PreprocessedData {
  const o = resolvePreprocessOptions(options);
  const filtered = filterInteractions(parsed, {
    minUserInteractions: Math.max(o.minUserInteractions, o.devicePeriod + 2),
    minItemInteractions: o.minItemInteractions,
  });
  const histories = toUserHistories(filtered, o.devicePeriod);
  const { train, valid, test, positives } = buildSamples(histories, filtered.numItems, o);
  if (positives.train === 0) {
    throw new DataError(
      'too-small',
      `No training sample is left: each of the ${filtered.numUsers} users has at most ${o.devicePeriod + 2} interactions, ` +
        `which go to the device period (${o.devicePeriod}), the first click and validation. Import a dataset with longer histories.`,
    );
  }
  const items = itemTable(parsed, filtered.itemSource);
  return {
    numItems: filtered.numItems,
    numUsers: filtered.numUsers,
    items,
    train,
    valid,
    test,
    histories,
    options: o,
    stats: {
      ...computeStats(histories.items, filtered.numUsers, filtered.numItems, { train: train.count, valid: valid.count, test: test.count }),
      trainPositives: positives.train,
      validPositives: positives.valid,
      testPositives: positives.test,
      droppedUsers: parsed.userIds.length - filtered.numUsers,
      droppedItems: parsed.itemIds.length - filtered.numItems,
      droppedDuplicates: filtered.duplicates,
      droppedBadTimestamps: parsed.badTimestamps ?? 0,
    },
  };
}

function itemTable(parsed: ParsedInteractions, itemSource: Int32Array): ItemMeta[] {
  const items: ItemMeta[] = [{ id: 0, title: '', genres: [], sourceId: '' }];
  for (let id = 1; id < itemSource.length; id++) {
    const sourceId = parsed.itemIds[itemSource[id]];
    const meta = parsed.itemMeta?.get(sourceId);
    items.push(meta ? { ...meta, id, sourceId } : { id, title: `Item ${sourceId}`, genres: [], sourceId });
  }
  return items;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
