// Tiny synthetic datasets for engine tests: users prefer one half of the catalog in the cloud
// period and (for half of them) switch halves in the device period.
import type { Dataset, SampleSet } from '../../src/data/types';
import { createRng, randomInt } from '../../src/random';

interface Row {
  user: number;
  target: number;
  click: number[];
  trigger: number[];
  label: number;
}

function toSampleSet(rows: Row[], seqLen: number): SampleSet {
  const pad = (seq: number[]) => [...seq.slice(-seqLen), ...new Array(Math.max(0, seqLen - seq.length)).fill(0)];
  return {
    count: rows.length,
    seqLen,
    user: Int32Array.from(rows.map((r) => r.user)),
    target: Int32Array.from(rows.map((r) => r.target)),
    clickSeq: Int32Array.from(rows.flatMap((r) => pad(r.click))),
    triggerSeq: Int32Array.from(rows.flatMap((r) => pad(r.trigger))),
    label: Float32Array.from(rows.map((r) => r.label)),
  };
}

export function tinyDataset(options: { seed?: number; users?: number; items?: number; seqLen?: number; history?: number } = {}): Dataset {
  const { seed = 1, users = 12, items = 12, seqLen = 5, history = 14 } = options;
  const rng = createRng(seed);
  const half = Math.floor(items / 2);
  const pick = (side: number) => 1 + side * half + randomInt(rng, half);
  const devicePeriod = 4;
  const offsets = [0];
  const all: number[] = [];
  const devicePeriodStart: number[] = [];
  const train: Row[] = [];
  const valid: Row[] = [];
  const test: Row[] = [];
  for (let u = 0; u < users; u++) {
    const cloudSide = u % 2;
    const deviceSide = u % 4 < 2 ? 1 - cloudSide : cloudSide;
    const seq: number[] = [];
    for (let i = 0; i < history; i++) seq.push(pick(i < history - devicePeriod ? cloudSide : deviceSide));
    const start = all.length + history - devicePeriod;
    devicePeriodStart.push(start);
    for (let p = 1; p < history; p++) {
      const inDevice = p >= history - devicePeriod;
      const set = inDevice ? test : p === history - devicePeriod - 1 ? valid : train;
      const click = seq.slice(0, p);
      const trigger = inDevice ? seq.slice(history - devicePeriod, p) : [];
      set.push({ user: u, target: seq[p], click, trigger, label: 1 });
      for (let k = 0; k < 2; k++) {
        let negative = 1 + randomInt(rng, items);
        while (negative === seq[p]) negative = 1 + randomInt(rng, items);
        set.push({ user: u, target: negative, click, trigger, label: 0 });
      }
    }
    all.push(...seq);
    offsets.push(all.length);
  }
  const itemMeta = Array.from({ length: items + 1 }, (_, id) => ({ id, title: `item ${id}`, genres: [], sourceId: String(id) }));
  return {
    id: `tiny-${seed}`,
    name: 'tiny',
    format: 'default',
    createdAt: 0,
    stats: {
      users,
      items,
      interactions: all.length,
      trainSamples: train.length,
      validSamples: valid.length,
      testSamples: test.length,
      meanHistory: history,
      top10PctShare: 0,
    },
    numItems: items,
    numUsers: users,
    items: itemMeta,
    train: toSampleSet(train, seqLen),
    valid: toSampleSet(valid, seqLen),
    test: toSampleSet(test, seqLen),
    histories: {
      offsets: Int32Array.from(offsets),
      items: Int32Array.from(all),
      devicePeriodStart: Int32Array.from(devicePeriodStart),
      sourceIds: Array.from({ length: users }, (_, u) => `u${u}`),
    },
    options: { devicePeriod, seqLen, negatives: 2, minUserInteractions: 1, minItemInteractions: 1, seed },
  };
}
