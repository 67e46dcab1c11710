// Deterministic synthetic samples for benchmarks: the shape of real data (left-aligned,
// zero-padded sequences of varying length, 1 positive : 4 negatives) without any I/O.
import { emptySampleSet } from '../src/data/samples';
import type { SampleSet } from '../src/data/types';
import { createRng, randomInt, zipfSampler } from '../src/random';

/**
 * Rows of 5 per user, the first of each five the positive; the trigger is the last (up to) 10
 * clicks. `row` draws row i's target, then writes its clicks into `clicks` and returns how many.
 */
function samplesOf(
  count: number,
  seqLen: number,
  row: (positive: boolean, clicks: Int32Array) => { target: number; length: number },
): SampleSet {
  const s = emptySampleSet(count, seqLen);
  const users = Math.max(1, Math.floor(count / 5));
  for (let i = 0; i < count; i++) {
    s.user[i] = Math.floor(i / 5) % users;
    s.label[i] = i % 5 === 0 ? 1 : 0;
    const clicks = s.clickSeq.subarray(i * seqLen, (i + 1) * seqLen);
    const { target, length } = row(s.label[i] === 1, clicks);
    s.target[i] = target;
    const recent = Math.min(length, 10);
    s.triggerSeq.set(clicks.subarray(length - recent, length), i * seqLen);
  }
  return s;
}

export function syntheticSamples(count: number, numItems: number, seqLen: number, seed: number): SampleSet {
  const rng = createRng(seed);
  return samplesOf(count, seqLen, (_positive, clicks) => {
    const target = 1 + randomInt(rng, numItems);
    const length = 1 + randomInt(rng, seqLen);
    for (let j = 0; j < length; j++) clicks[j] = 1 + randomInt(rng, numItems);
    return { target, length };
  });
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
  const popular = zipfSampler(rng, numItems, 1);
  return samplesOf(count, seqLen, (positive, clicks) => {
    // the positive follows popularity; negatives are sampled uniformly, as the data layer does
    const target = positive ? popular() : 1 + randomInt(rng, numItems);
    for (let j = 0; j < seqLen; j++) clicks[j] = popular();
    return { target, length: seqLen };
  });
}
