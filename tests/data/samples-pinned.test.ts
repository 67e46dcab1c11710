// The rows a seed gives are pinned: any change to how samples are built (splits, sequences,
// negatives, their seeds) changes these fingerprints. A speed-up of the data pipeline must
// leave them as they are; a deliberate change of the rows updates them and says why.
import { describe, expect, it } from 'vitest';
import { InteractionsBuilder } from '../../src/data/parsed';
import { preprocess } from '../../src/data/preprocess';
import { readRows } from '../../src/data/samples';
import type { Samples } from '../../src/data/types';
import { createRng, randomInt, zipfSampler } from '../../src/random';

/** 60 users with 14..60 interactions over 80 items (Zipf-like), seeded. */
function seededLog() {
  const rng = createRng(2024);
  const item = zipfSampler(rng, 80, 0.9);
  const b = new InteractionsBuilder();
  for (let u = 0; u < 60; u++) {
    const n = 14 + randomInt(rng, 47);
    for (let k = 0; k < n; k++) b.add(`u${u}`, `i${item()}`, 1000 + k * 10 + randomInt(rng, 5));
  }
  return b.build();
}

/** FNV-1a over every row's user, target, label and both sequences, read in a scrambled order. */
function fingerprint(s: Samples, epoch: number): string {
  const order = Array.from({ length: s.count }, (_, r) => (r * 7919) % s.count);
  const rows = readRows(s, order, epoch);
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    h = Math.imul(h ^ (v | 0), 0x01000193) >>> 0;
  };
  for (let b = 0; b < rows.size; b++) {
    mix(rows.user[b]);
    mix(rows.target[b]);
    mix(rows.label[b]);
    for (let j = 0; j < rows.seqLen; j++) {
      mix(rows.click[b * rows.seqLen + j]);
      mix(rows.trigger[b * rows.seqLen + j]);
    }
  }
  return `${s.count}:${h.toString(16)}`;
}

describe('rows for a seed', () => {
  const options = { devicePeriod: 10, seqLen: 30, negatives: 4, minUserInteractions: 1, minItemInteractions: 1, seed: 42 };
  const d = preprocess(seededLog(), options);

  it('are the pinned ones for seed 42: training rows of epochs 0 and 1, validation and test', () => {
    expect({
      train0: fingerprint(d.train, 0),
      train1: fingerprint(d.train, 1),
      valid: fingerprint(d.valid, 0),
      test: fingerprint(d.test, 0),
    }).toEqual({ train0: '7190:ea4da389', train1: '7190:f20dbb21', valid: '300:8b50082e', test: '3000:b381f68b' });
  });

  it('differ for another seed (the fingerprint sees the negatives)', () => {
    const other = preprocess(seededLog(), { ...options, seed: 43 });
    expect(fingerprint(other.train, 0)).not.toBe(fingerprint(d.train, 0));
    expect(fingerprint(other.test, 0)).not.toBe(fingerprint(d.test, 0));
    expect(fingerprint(d.train, 1)).not.toBe(fingerprint(d.train, 0));
  });
});
