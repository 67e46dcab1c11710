// Seeded randomness shared by the dataset generator, preprocessing and the engine.
// mulberry32: small, fast, and identical in every JS engine, so the same seed gives
// byte-identical datasets and identical initial weights in Node and in the browser.

export type Rng = () => number; // uniform in [0, 1)

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Standard normal via Box-Muller. */
export function randomNormal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** In-place Fisher-Yates shuffle. */
export function shuffle<T>(rng: Rng, values: T[] | Int32Array): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp as never;
  }
}

/**
 * Draws item ids 1..n with long-tailed popularity: id i has weight 1 / i^exponent (Zipf),
 * through a cumulative table and a binary search.
 */
export function zipfSampler(rng: Rng, n: number, exponent: number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / Math.pow(i + 1, exponent);
  return () => {
    const x = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}
