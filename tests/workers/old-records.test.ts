// Datasets stored by an older version: rows kept as given still load; ones whose training
// targets were capped are refused with a sentence.
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { openDuetStore } from '../../src/data/store';
import type { Dataset } from '../../src/data/types';
import { loadDataset } from '../../workers/data-service';
import { tinyDataset } from '../engine/fixtures';

it('loads an older record with given rows, and refuses one that was capped', async () => {
  const store = await openDuetStore();
  const old: Dataset = { ...tinyDataset(), id: 'old-rows', name: 'Old rows' };
  const capped: Dataset = {
    ...tinyDataset(),
    id: 'old-capped',
    name: 'Old capped',
    options: { ...old.options, maxTrainPerUser: 15 } as Dataset['options'],
  };
  await store.saveDataset(old);
  await store.saveDataset(capped);
  store.close();
  expect((await loadDataset('old-rows')).train.count).toBe(old.train.count);
  const error = await loadDataset('old-capped').then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toBe('"Old capped" was stored by an older version that kept only part of its training data: import it again.');
});
