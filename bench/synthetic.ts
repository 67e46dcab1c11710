// Deterministic synthetic samples for benchmarks: the shape of real data (left-aligned,
// zero-padded sequences of varying length, 1 positive : 4 negatives) without any I/O.
import type { SampleSet } from '../src/data/types';
import { createRng, randomInt } from '../src/random';

export function syntheticSamples(count: number, numItems: number, seqLen: number, seed: number): SampleSet {
  const rng = createRng(seed);
  const users = Math.max(1, Math.floor(count / 5));
  const user = new Int32Array(count);
  const target = new Int32Array(count);
  const clickSeq = new Int32Array(count * seqLen);
  const triggerSeq = new Int32Array(count * seqLen);
  const label = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    user[i] = Math.floor(i / 5) % users;
    target[i] = 1 + randomInt(rng, numItems);
    label[i] = i % 5 === 0 ? 1 : 0;
    const length = 1 + randomInt(rng, seqLen);
    for (let j = 0; j < length; j++) clickSeq[i * seqLen + j] = 1 + randomInt(rng, numItems);
    const recent = Math.min(length, 10);
    for (let j = 0; j < recent; j++) triggerSeq[i * seqLen + j] = clickSeq[i * seqLen + length - recent + j];
  }
  return { count, seqLen, user, target, clickSeq, triggerSeq, label };
}

/** A device session: `length` item ids, oldest first. */
export function syntheticSession(length: number, numItems: number, seed: number): Int32Array {
  const rng = createRng(seed);
  return Int32Array.from({ length }, () => 1 + randomInt(rng, numItems));
}

/**
 * Samples shaped like a real log (an ML-1M slice in the reference's format): every sequence
 * full (seqLen clicks), items drawn with long-tailed (Zipf, s = 1) popularity over the
 * catalog, so a few hundred items fill most sequences and most of the catalog is rare.
 */
export function logShapedSamples(count: number, numItems: number, seqLen: number, seed: number): SampleSet {
  const rng = createRng(seed);
  const cumulative = new Float64Array(numItems);
  let total = 0;
  for (let rank = 0; rank < numItems; rank++) cumulative[rank] = total += 1 / (rank + 1);
  const popular = () => {
    const u = rng() * total;
    let lo = 0;
    let hi = numItems - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return 1 + lo;
  };
  const users = Math.max(1, Math.floor(count / 5));
  const user = new Int32Array(count);
  const target = new Int32Array(count);
  const clickSeq = new Int32Array(count * seqLen);
  const triggerSeq = new Int32Array(count * seqLen);
  const label = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    user[i] = Math.floor(i / 5) % users;
    label[i] = i % 5 === 0 ? 1 : 0;
    // the positive follows popularity; negatives are sampled uniformly, as the data layer does
    target[i] = label[i] === 1 ? popular() : 1 + randomInt(rng, numItems);
    for (let j = 0; j < seqLen; j++) clickSeq[i * seqLen + j] = popular();
    const recent = Math.min(seqLen, 10);
    for (let j = 0; j < recent; j++) triggerSeq[i * seqLen + j] = clickSeq[i * seqLen + seqLen - recent + j];
  }
  return { count, seqLen, user, target, clickSeq, triggerSeq, label };
}
