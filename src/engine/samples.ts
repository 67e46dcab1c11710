// Small SampleSet helpers: row subsets and grouping by user.
import type { SampleSet } from '../data/types';

/** A new SampleSet with rows `rows` of `samples`, in that order. */
export function subsetSamples(samples: SampleSet, rows: ArrayLike<number>): SampleSet {
  const L = samples.seqLen;
  const n = rows.length;
  const out: SampleSet = {
    count: n,
    seqLen: L,
    user: new Int32Array(n),
    target: new Int32Array(n),
    clickSeq: new Int32Array(n * L),
    triggerSeq: new Int32Array(n * L),
    label: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    out.user[i] = samples.user[r];
    out.target[i] = samples.target[r];
    out.label[i] = samples.label[r];
    out.clickSeq.set(samples.clickSeq.subarray(r * L, r * L + L), i * L);
    out.triggerSeq.set(samples.triggerSeq.subarray(r * L, r * L + L), i * L);
  }
  return out;
}

/** Row indices per user id, rows in order. */
export function rowsByUser(samples: SampleSet): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (let r = 0; r < samples.count; r++) {
    const list = map.get(samples.user[r]);
    if (list) list.push(r);
    else map.set(samples.user[r], [r]);
  }
  return map;
}
