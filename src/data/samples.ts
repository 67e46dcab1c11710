// Samples in the reference's layout (DUET.md, sample format) from time-ordered histories.
// Per user: cloud period = all but the last `devicePeriod` interactions. Train targets are
// cloud interactions from the 2nd on except the last, which is the validation target; the
// device-period interactions are the test targets.
import type { Rng } from '../shared/random';
import { createRng, randomInt } from '../shared/random';
import type { SampleSet, UserHistories } from './types';

export interface SampleOptions {
  seqLen: number;
  negatives: number;
  seed: number;
  /** Most recent train targets kept per user; unset = all. */
  maxTrainPerUser?: number;
}

export interface SplitSamples {
  train: SampleSet;
  valid: SampleSet;
  test: SampleSet;
}

export function emptySampleSet(count: number, seqLen: number): SampleSet {
  return {
    count,
    seqLen,
    user: new Int32Array(count),
    target: new Int32Array(count),
    clickSeq: new Int32Array(count * seqLen),
    triggerSeq: new Int32Array(count * seqLen),
    label: new Float32Array(count),
  };
}

/** Bytes of train + valid + test for a train cap, counting every positive with all its negatives. */
export function sampleBytes(h: UserHistories, o: SampleOptions): number {
  let positives = 0;
  for (let u = 0; u < h.devicePeriodStart.length; u++) {
    const train = Math.max(0, h.devicePeriodStart[u] - h.offsets[u] - 2);
    positives += Math.min(train, o.maxTrainPerUser ?? Infinity) + 1 + (h.offsets[u + 1] - h.devicePeriodStart[u]);
  }
  return positives * (1 + o.negatives) * (8 * o.seqLen + 12);
}

/** The largest train cap whose samples fit in `budget` bytes (0 when even that does not fit). */
export function capForBudget(h: UserHistories, o: SampleOptions, budget: number): number {
  let low = 0;
  let high = 0;
  for (let u = 0; u < h.devicePeriodStart.length; u++) high = Math.max(high, h.devicePeriodStart[u] - h.offsets[u] - 2);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (sampleBytes(h, { ...o, maxTrainPerUser: mid }) <= budget) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Requires every user to have at least 2 cloud-period interactions. */
export function buildSamples(h: UserHistories, numItems: number, o: SampleOptions): SplitSamples {
  const numUsers = h.devicePeriodStart.length;
  const negatives = new NegativeSampler(h, numItems, o.negatives, createRng(o.seed));
  const perUser = (u: number) => 1 + negatives.countFor(u);
  // Train targets of user u are at absolute indices [trainFrom(u), devicePeriodStart[u] - 1).
  const trainFrom = (u: number) => Math.max(h.offsets[u] + 1, h.devicePeriodStart[u] - 1 - (o.maxTrainPerUser ?? Infinity));
  let trainRows = 0;
  let validRows = 0;
  let testRows = 0;
  for (let u = 0; u < numUsers; u++) {
    trainRows += (h.devicePeriodStart[u] - 1 - trainFrom(u)) * perUser(u);
    validRows += perUser(u);
    testRows += (h.offsets[u + 1] - h.devicePeriodStart[u]) * perUser(u);
  }
  const sets = {
    train: emptySampleSet(trainRows, o.seqLen),
    valid: emptySampleSet(validRows, o.seqLen),
    test: emptySampleSet(testRows, o.seqLen),
  };
  const rows = { train: 0, valid: 0, test: 0 };
  const add = (split: keyof SplitSamples, u: number, at: number, trigger: boolean) => {
    const set = sets[split];
    const row = rows[split];
    writePositive(set, row, h, u, at, trigger);
    rows[split] = negatives.fill(set, row, u);
  };
  for (let u = 0; u < numUsers; u++) {
    const device = h.devicePeriodStart[u];
    for (let at = trainFrom(u); at < device - 1; at++) add('train', u, at, false);
    add('valid', u, device - 1, false);
    for (let at = device; at < h.offsets[u + 1]; at++) add('test', u, at, true);
  }
  return sets;
}

/** Writes the positive at absolute history index `at`; sequences hold up to seqLen items before it, oldest first. */
function writePositive(set: SampleSet, row: number, h: UserHistories, u: number, at: number, trigger: boolean): void {
  const L = set.seqLen;
  set.user[row] = u;
  set.target[row] = h.items[at];
  set.label[row] = 1;
  const clickFrom = Math.max(h.offsets[u], at - L);
  set.clickSeq.set(h.items.subarray(clickFrom, at), row * L);
  if (trigger) {
    const triggerFrom = Math.max(h.devicePeriodStart[u], at - L);
    set.triggerSeq.set(h.items.subarray(triggerFrom, at), row * L);
  }
}

/** Items the user never touched, in either period, drawn uniformly; distinct per positive when there are enough. */
class NegativeSampler {
  private readonly touchedBy: Int32Array; // [numItems + 1] last user (+1) that touched the item
  private readonly untouched: Int32Array; // [numUsers]
  private stampedUser = -1;
  private pool: Int32Array | null = null;

  constructor(
    private readonly h: UserHistories,
    private readonly numItems: number,
    private readonly negatives: number,
    private readonly rng: Rng,
  ) {
    this.touchedBy = new Int32Array(numItems + 1);
    const numUsers = h.devicePeriodStart.length;
    this.untouched = new Int32Array(numUsers);
    for (let u = 0; u < numUsers; u++) this.untouched[u] = numItems - this.stamp(u);
    this.stampedUser = -1;
  }

  /** Users who touched every item get no negatives. */
  countFor(u: number): number {
    return this.untouched[u] > 0 ? this.negatives : 0;
  }

  /** Writes the negatives of the positive at `row`; returns the next free row. */
  fill(set: SampleSet, row: number, u: number): number {
    const n = this.countFor(u);
    if (n === 0) return row + 1;
    if (this.stampedUser !== u) {
      this.stamp(u);
      this.stampedUser = u;
      // Rejection sampling slows down when most items are taken: draw from the explicit rest instead.
      this.pool = this.untouched[u] < this.numItems / 4 ? this.untouchedItems(u) : null;
    }
    const L = set.seqLen;
    const picked: number[] = [];
    for (let k = 1; k <= n; k++) {
      let item = this.draw(u);
      while (picked.length < this.untouched[u] && picked.includes(item)) item = this.draw(u);
      picked.push(item);
      const r = row + k;
      set.user[r] = u;
      set.target[r] = item;
      set.label[r] = 0;
      set.clickSeq.copyWithin(r * L, row * L, row * L + L);
      set.triggerSeq.copyWithin(r * L, row * L, row * L + L);
    }
    return row + n + 1;
  }

  private draw(u: number): number {
    if (this.pool) return this.pool[randomInt(this.rng, this.pool.length)];
    for (;;) {
      const item = 1 + randomInt(this.rng, this.numItems);
      if (this.touchedBy[item] !== u + 1) return item;
    }
  }

  /** Marks u's items; returns how many distinct items u touched. */
  private stamp(u: number): number {
    let distinct = 0;
    for (let k = this.h.offsets[u]; k < this.h.offsets[u + 1]; k++) {
      const item = this.h.items[k];
      if (this.touchedBy[item] !== u + 1) distinct++;
      this.touchedBy[item] = u + 1;
    }
    return distinct;
  }

  private untouchedItems(u: number): Int32Array {
    const pool = new Int32Array(this.untouched[u]);
    let n = 0;
    for (let item = 1; item <= this.numItems; item++) if (this.touchedBy[item] !== u + 1) pool[n++] = item;
    return pool;
  }
}
