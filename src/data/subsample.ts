// An explicit, stated subsample for training in a tab on a log too large to train whole
// (ML-10M: ~46M training rows, days at a tab's pace): a seeded choice of users, all of
// their interactions, the catalog unchanged (so item ids, and models, stay comparable).
import { buildSamples } from './samples';
import type { Dataset, UserHistories } from './types';
import { createRng, shuffle } from '../random';

/** The dataset restricted to `maxUsers` users drawn with `seed`; the note says so with numbers. */
export function subsampleUsers(d: Dataset, maxUsers: number, seed = d.options.seed): { dataset: Dataset; note: string } {
  const h = d.histories;
  if (!h || maxUsers >= d.numUsers) return { dataset: d, note: '' };
  const order = Int32Array.from({ length: d.numUsers }, (_, u) => u);
  shuffle(createRng(seed ^ 0x5eed), order);
  const chosen = order.slice(0, maxUsers).sort();
  const offsets = new Int32Array(maxUsers + 1);
  chosen.forEach((u, k) => (offsets[k + 1] = offsets[k] + h.offsets[u + 1] - h.offsets[u]));
  const items = new Int32Array(offsets[maxUsers]);
  const devicePeriodStart = new Int32Array(maxUsers);
  chosen.forEach((u, k) => {
    items.set(h.items.subarray(h.offsets[u], h.offsets[u + 1]), offsets[k]);
    devicePeriodStart[k] = offsets[k] + (h.devicePeriodStart[u] - h.offsets[u]);
  });
  const histories: UserHistories = { offsets, items, devicePeriodStart, sourceIds: Array.from(chosen, (u) => h.sourceIds[u]) };
  const { train, valid, test, positives } = buildSamples(histories, d.numItems, d.options);
  const note =
    `Training on a seeded sample of ${maxUsers.toLocaleString('en')} of ${d.numUsers.toLocaleString('en')} users ` +
    `(${positives.train.toLocaleString('en')} of ${(d.stats.trainPositives ?? 0).toLocaleString('en')} training positives); the catalog is unchanged.`;
  const dataset: Dataset = {
    ...d,
    numUsers: maxUsers,
    histories,
    train,
    valid,
    test,
    truth: d.truth && {
      genres: d.truth.genres,
      cloudInterest: Array.from(chosen, (u) => d.truth!.cloudInterest[u]),
      deviceInterest: Array.from(chosen, (u) => d.truth!.deviceInterest[u]),
    },
    stats: {
      ...d.stats,
      users: maxUsers,
      interactions: items.length,
      trainSamples: train.count,
      validSamples: valid.count,
      testSamples: test.count,
      trainPositives: positives.train,
      validPositives: positives.valid,
      testPositives: positives.test,
      meanHistory: items.length / maxUsers,
      warnings: [...(d.stats.warnings ?? []), note],
    },
  };
  return { dataset, note };
}
