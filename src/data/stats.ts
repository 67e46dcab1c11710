import type { DatasetStats } from './types';

/** Sample counts are rows, negatives included. */
export function computeStats(
  itemOfInteraction: Int32Array,
  numUsers: number,
  numItems: number,
  rows: { train: number; valid: number; test: number },
): DatasetStats {
  const interactions = itemOfInteraction.length;
  return {
    users: numUsers,
    items: numItems,
    interactions,
    trainSamples: rows.train,
    validSamples: rows.valid,
    testSamples: rows.test,
    meanHistory: numUsers > 0 ? interactions / numUsers : 0,
    top10PctShare: top10PctShare(itemOfInteraction, numItems),
  };
}

/** Fraction of interactions on the ceil(10%) most interacted-with items. */
export function top10PctShare(itemOfInteraction: Int32Array, numItems: number): number {
  if (itemOfInteraction.length === 0 || numItems === 0) return 0;
  const counts = new Int32Array(numItems + 1);
  for (const item of itemOfInteraction) counts[item]++;
  const sorted = counts.subarray(1).sort().reverse();
  const top = Math.ceil(numItems / 10);
  let sum = 0;
  for (let k = 0; k < top; k++) sum += sorted[k];
  return sum / itemOfInteraction.length;
}
