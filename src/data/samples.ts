// Samples in the reference's layout (docs/method.md, "Samples") built from time-ordered
// histories when a batch needs them. Per user: cloud period = all but the last
// `devicePeriod` interactions. Train targets are cloud interactions from the 2nd on except
// the last, which is the validation target; the device-period interactions are the test
// targets. Validation and test rows (with their negatives) are fixed for a seed and stored
// as (user, target, label, position); training rows are only counted, their negatives drawn
// per batch (negatives.ts), so memory grows with interactions, not samples x seqLen.
import { createRng } from '../random';
import { NegativeSampler, negativeSampler, positiveSeed } from './negatives';
import type { DrawnSampleSet, HistorySampleSet, LabeledSamples, SampleSet, Samples, UserHistories } from './types';

export interface SampleOptions {
  seqLen: number;
  negatives: number;
  seed: number;
  trainNegatives?: 'epoch' | 'fixed';
}

export interface SplitSamples {
  train: DrawnSampleSet;
  valid: HistorySampleSet;
  test: HistorySampleSet;
  positives: { train: number; valid: number; test: number };
}

/** A zero-filled SampleSet of `count` given rows. */
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

/** Requires every user to have at least 2 cloud-period interactions. */
export function buildSamples(h: UserHistories, numItems: number, o: SampleOptions): SplitSamples {
  const numUsers = h.devicePeriodStart.length;
  const sampler = negativeSampler(h, numItems);
  let trainPositives = 0;
  let trainRows = 0;
  let testPositives = 0;
  let validRows = 0;
  let testRows = 0;
  for (let u = 0; u < numUsers; u++) {
    const per = 1 + sampler.countFor(u, o.negatives);
    const train = trainPositivesOf(h, u);
    trainPositives += train;
    trainRows += train * per;
    validRows += per;
    testPositives += h.offsets[u + 1] - h.devicePeriodStart[u];
    testRows += (h.offsets[u + 1] - h.devicePeriodStart[u]) * per;
  }
  const rng = createRng(o.seed);
  const valid = historySet(validRows, o.seqLen, false, h);
  const test = historySet(testRows, o.seqLen, true, h);
  let v = 0;
  let t = 0;
  const picked = new Int32Array(o.negatives);
  const add = (set: HistorySampleSet, row: number, u: number, at: number): number => {
    const n = sampler.draw(u, o.negatives, rng, picked);
    for (let k = 0; k <= n; k++) {
      set.user[row + k] = u;
      set.position[row + k] = at;
      set.target[row + k] = k === 0 ? h.items[at] : picked[k - 1];
      set.label[row + k] = k === 0 ? 1 : 0;
    }
    return row + n + 1;
  };
  for (let u = 0; u < numUsers; u++) {
    v = add(valid, v, u, h.devicePeriodStart[u] - 1);
    for (let at = h.devicePeriodStart[u]; at < h.offsets[u + 1]; at++) t = add(test, t, u, at);
  }
  const train: DrawnSampleSet = {
    kind: 'drawn',
    count: trainRows,
    seqLen: o.seqLen,
    negatives: o.negatives,
    seed: o.seed,
    numItems,
    redraw: o.trainNegatives ?? 'epoch',
    histories: h,
  };
  return { train, valid, test, positives: { train: trainPositives, valid: numUsers, test: testPositives } };
}

function historySet(count: number, seqLen: number, withTrigger: boolean, histories: UserHistories): HistorySampleSet {
  return {
    kind: 'history',
    count,
    seqLen,
    withTrigger,
    histories,
    user: new Int32Array(count),
    target: new Int32Array(count),
    label: new Float32Array(count),
    position: new Int32Array(count),
  };
}

/** Train targets of user u sit at history indices [offsets[u] + 1, devicePeriodStart[u] - 1). */
function trainPositivesOf(h: UserHistories, u: number): number {
  return Math.max(0, h.devicePeriodStart[u] - 1 - (h.offsets[u] + 1));
}

/** Rows as the models read them: per row its user, target, label and both sequences. */
export interface SampleRows {
  size: number;
  seqLen: number;
  user: Int32Array;
  target: Int32Array;
  label: Float32Array;
  /** [size * seqLen] left-aligned, zero-padded */
  click: Int32Array;
  /** [size * seqLen] zeros where a row has no trigger */
  trigger: Int32Array;
}

/** Rows `indices` of any kind of sample set; `epoch` picks the training negatives of drawn sets. */
export function readRows(samples: Samples, indices: ArrayLike<number>, epoch = 0): SampleRows {
  const L = samples.seqLen;
  const size = indices.length;
  const out: SampleRows = {
    size,
    seqLen: L,
    user: new Int32Array(size),
    target: new Int32Array(size),
    label: new Float32Array(size),
    click: new Int32Array(size * L),
    trigger: new Int32Array(size * L),
  };
  if (samples.kind === 'drawn') readDrawn(samples, indices, epoch, out);
  else if (samples.kind === 'history') readHistory(samples, indices, out);
  else {
    for (let b = 0; b < size; b++) {
      const r = indices[b];
      out.user[b] = samples.user[r];
      out.target[b] = samples.target[r];
      out.label[b] = samples.label[r];
      out.click.set(samples.clickSeq.subarray(r * L, r * L + L), b * L);
      out.trigger.set(samples.triggerSeq.subarray(r * L, r * L + L), b * L);
    }
  }
  return out;
}

function readHistory(s: HistorySampleSet, indices: ArrayLike<number>, out: SampleRows): void {
  const h = s.histories;
  for (let b = 0; b < indices.length; b++) {
    const r = indices[b];
    const u = s.user[r];
    out.user[b] = u;
    out.target[b] = s.target[r];
    out.label[b] = s.label[r];
    writeSequences(h, u, s.position[r], s.withTrigger, s.seqLen, out, b);
  }
}

function writeSequences(h: UserHistories, u: number, at: number, withTrigger: boolean, L: number, out: SampleRows, b: number): void {
  out.click.set(h.items.subarray(Math.max(h.offsets[u], at - L), at), b * L);
  if (withTrigger) out.trigger.set(h.items.subarray(Math.max(h.devicePeriodStart[u], at - L), at), b * L);
}

/** First training row of each user ([numUsers + 1]), cached per drawn set. */
const rowStarts = new WeakMap<DrawnSampleSet, Float64Array>();

export function drawnRowStarts(s: DrawnSampleSet): Float64Array {
  let starts = rowStarts.get(s);
  if (!starts) {
    const h = s.histories;
    const sampler = negativeSampler(h, s.numItems);
    const numUsers = h.devicePeriodStart.length;
    starts = new Float64Array(numUsers + 1);
    for (let u = 0; u < numUsers; u++) starts[u + 1] = starts[u] + trainPositivesOf(h, u) * (1 + sampler.countFor(u, s.negatives));
    if (starts[numUsers] !== s.count) throw new Error(`training rows changed: ${starts[numUsers]} now, ${s.count} when prepared`);
    rowStarts.set(s, starts);
  }
  return starts;
}

function readDrawn(s: DrawnSampleSet, indices: ArrayLike<number>, epoch: number, out: SampleRows): void {
  const h = s.histories;
  const starts = drawnRowStarts(s);
  const sampler: NegativeSampler = negativeSampler(h, s.numItems);
  const picked = new Int32Array(s.negatives);
  const epochKey = s.redraw === 'epoch' ? epoch : 0;
  for (let b = 0; b < indices.length; b++) {
    const r = indices[b];
    const u = userOfRow(starts, r);
    const per = 1 + sampler.countFor(u, s.negatives);
    const local = r - starts[u];
    const k = local % per;
    const at = h.offsets[u] + 1 + (local - k) / per;
    out.user[b] = u;
    if (k === 0) {
      out.target[b] = h.items[at];
      out.label[b] = 1;
    } else {
      // The first k draws of this positive's sequence are the same whatever is drawn after them.
      sampler.draw(u, k, createRng(positiveSeed(s.seed, epochKey, at)), picked);
      out.target[b] = picked[k - 1];
    }
    writeSequences(h, u, at, false, s.seqLen, out, b);
  }
}

/** The user whose rows contain row r (binary search over row starts). */
function userOfRow(starts: Float64Array, r: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= r) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Row indices per user, rows in order (a drawn set's rows of a user are one range). */
export function rowsByUser(samples: Samples): Map<number, number[]> {
  const map = new Map<number, number[]>();
  if (samples.kind === 'drawn') {
    const starts = drawnRowStarts(samples);
    for (let u = 0; u + 1 < starts.length; u++) {
      if (starts[u + 1] > starts[u])
        map.set(
          u,
          Array.from({ length: starts[u + 1] - starts[u] }, (_, k) => starts[u] + k),
        );
    }
    return map;
  }
  for (let r = 0; r < samples.count; r++) {
    const list = map.get(samples.user[r]);
    if (list) list.push(r);
    else map.set(samples.user[r], [r]);
  }
  return map;
}

/** A new sample set of the same kind with rows `rows` of `samples`, in that order. */
export function subsetSamples<S extends LabeledSamples>(samples: S, rows: ArrayLike<number>): S {
  const n = rows.length;
  const pick = <A extends Int32Array | Float32Array>(a: A, make: (n: number) => A) => {
    const out = make(n);
    for (let i = 0; i < n; i++) out[i] = a[rows[i]];
    return out;
  };
  const user = pick(samples.user, (k) => new Int32Array(k));
  const target = pick(samples.target, (k) => new Int32Array(k));
  const label = pick(samples.label, (k) => new Float32Array(k));
  if (samples.kind === 'history') {
    return { ...samples, count: n, user, target, label, position: pick(samples.position, (k) => new Int32Array(k)) };
  }
  const given = readRows(samples, rows);
  return { ...samples, count: n, user, target, label, clickSeq: given.click, triggerSeq: given.trigger };
}
