// Negative sampling: items the user never touched, in either period, drawn uniformly and
// exactly (no rejection loop, so users who touched most of the catalog cost the same),
// distinct per positive when there are enough.
import { randomInt, type Rng } from '../random';
import type { UserHistories } from './types';

export class NegativeSampler {
  /** Each user's distinct items, sorted: touched[starts[u] .. starts[u+1]). */
  private readonly touched: Int32Array;
  private readonly starts: Int32Array;

  constructor(
    h: UserHistories,
    readonly numItems: number,
  ) {
    const numUsers = h.devicePeriodStart.length;
    this.starts = new Int32Array(numUsers + 1);
    const touched = new Int32Array(h.items.length);
    let n = 0;
    for (let u = 0; u < numUsers; u++) {
      const sorted = h.items.slice(h.offsets[u], h.offsets[u + 1]).sort();
      for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) touched[n++] = sorted[k];
      this.starts[u + 1] = n;
    }
    this.touched = touched.slice(0, n);
  }

  untouched(u: number): number {
    return this.numItems - (this.starts[u + 1] - this.starts[u]);
  }

  /** Users who touched every item get no negatives. */
  countFor(u: number, negatives: number): number {
    return this.untouched(u) > 0 ? negatives : 0;
  }

  /** Fills picked[0 .. n) with user u's negatives for one positive; returns n (countFor). */
  draw(u: number, negatives: number, rng: Rng, picked: Int32Array): number {
    const n = this.countFor(u, negatives);
    const free = this.untouched(u);
    for (let k = 0; k < n; k++) {
      let item = this.nthUntouched(u, randomInt(rng, free));
      while (k < free && picked.subarray(0, k).includes(item)) item = this.nthUntouched(u, randomInt(rng, free));
      picked[k] = item;
    }
    return n;
  }

  /** The r-th (0-based) item id in 1..numItems that u never touched. */
  private nthUntouched(u: number, r: number): number {
    // touched[i] - 1 - (i - lo) untouched ids lie below touched[i]: find how many touched ids lie below the answer.
    const lo = this.starts[u];
    let a = lo;
    let b = this.starts[u + 1];
    while (a < b) {
      const mid = (a + b) >> 1;
      if (this.touched[mid] - 1 - (mid - lo) <= r) a = mid + 1;
      else b = mid;
    }
    return r + 1 + (a - lo);
  }
}

const samplers = new WeakMap<UserHistories, NegativeSampler>();

/** One sampler per histories object (building it sorts every history once). */
export function negativeSampler(h: UserHistories, numItems: number): NegativeSampler {
  let s = samplers.get(h);
  if (!s || s.numItems !== numItems) {
    s = new NegativeSampler(h, numItems);
    samplers.set(h, s);
  }
  return s;
}

/** Seed of one training positive's negatives in one epoch: a hash, so any row can be drawn alone. */
export function positiveSeed(seed: number, epoch: number, position: number): number {
  let x = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(epoch + 1, 0xc2b2ae35) ^ Math.imul(position + 1, 0x27d4eb2f);
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
