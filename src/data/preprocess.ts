// Shared preprocessing for every dataset: filter, reindex, split by time, sample
// (DUET.md, sample format). Filtering repeats to a fixed point (see filter.ts).
import { filterInteractions, toUserHistories } from './filter';
import type { ParsedInteractions } from './parsed';
import { buildSamples, capForBudget, sampleBytes } from './samples';
import { computeStats } from './stats';
import type { Dataset, ItemMeta, PreprocessOptions } from './types';

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
  for (const [key, min] of [['devicePeriod', 1], ['seqLen', 1], ['negatives', 0], ['minUserInteractions', 1], ['minItemInteractions', 1]] as const) {
    if (!Number.isInteger(o[key]) || o[key] < min) throw new RangeError(`${key} must be an integer >= ${min}, got ${o[key]}`);
  }
  if (o.maxTrainPerUser !== undefined && !(Number.isInteger(o.maxTrainPerUser) && o.maxTrainPerUser >= 0)) {
    throw new RangeError(`maxTrainPerUser must be an integer >= 0, got ${o.maxTrainPerUser}`);
  }
  if (o.maxSampleBytes !== undefined && !(o.maxSampleBytes > 0)) {
    throw new RangeError(`maxSampleBytes must be > 0, got ${o.maxSampleBytes}`);
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
  if (o.maxTrainPerUser === undefined && o.maxSampleBytes !== undefined && sampleBytes(histories, o) > o.maxSampleBytes) {
    o.maxTrainPerUser = capForBudget(histories, o, o.maxSampleBytes);
  }
  const { train, valid, test } = buildSamples(histories, filtered.numItems, o);
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
    stats: computeStats(histories.items, filtered.numUsers, filtered.numItems, {
      train: train.count,
      valid: valid.count,
      test: test.count,
    }),
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
