// Gradient check: tf.grads against central finite differences, for hand-written gradients
// (tf.customGrad ops, fused layers) and replacement kernels (check every one: docs/architecture.md#speed).
import * as tf from '@tensorflow/tfjs-core';
import { createRng, randomInt } from '../random';

export interface GradCheckOptions {
  /** Finite-difference step. float32 needs a large one: rounding error grows like ulp(f) / eps. */
  eps?: number;
  /** Check at most this many elements per input (chosen with `seed`); default all. */
  maxElementsPerInput?: number;
  seed?: number;
  /** Relative error divides by max(|analytic|, |numeric|, relativeFloor), so tiny gradients don't blow up. */
  relativeFloor?: number;
}

export interface GradCheckResult {
  maxAbsError: number;
  maxRelError: number;
  /** Elements compared, over all inputs. */
  checked: number;
  /** Where the largest absolute error was. */
  worst: { input: number; index: number; analytic: number; numeric: number };
}

type ScalarFn = (...xs: tf.Tensor[]) => tf.Scalar;

function valueAt(f: ScalarFn, xs: tf.Tensor[], input: number, data: Float32Array): number {
  return tf.tidy(() => {
    const args = xs.map((x, k) => (k === input ? tf.tensor(data, x.shape, 'float32') : x));
    return f(...args).dataSync()[0];
  });
}

function elementsToCheck(size: number, limit: number | undefined, seed: number): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (limit === undefined || limit >= size) return all;
  const rng = createRng(seed);
  for (let i = 0; i < limit; i++) {
    const j = i + randomInt(rng, size - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, limit).sort((a, b) => a - b);
}

/** Compares tf.grads(f)(xs) with (f(x + eps) - f(x - eps)) / 2 eps, element by element. */
export function checkGradients(f: ScalarFn, xs: tf.Tensor[], options: GradCheckOptions = {}): GradCheckResult {
  const { eps = 1e-2, maxElementsPerInput, seed = 1, relativeFloor = 1e-2 } = options;
  for (const x of xs) {
    if (x.dtype !== 'float32') throw new TypeError(`checkGradients: inputs must be float32, got ${x.dtype}`);
  }
  const analytic = tf
    .tidy(() => tf.grads(f)(xs))
    .map((g) => {
      const values = g.dataSync().slice() as Float32Array;
      g.dispose();
      return values;
    });
  const result: GradCheckResult = {
    maxAbsError: 0,
    maxRelError: 0,
    checked: 0,
    worst: { input: -1, index: -1, analytic: 0, numeric: 0 },
  };
  xs.forEach((x, input) => {
    const base = x.dataSync().slice() as Float32Array;
    for (const index of elementsToCheck(base.length, maxElementsPerInput, seed + input)) {
      const data = base.slice();
      data[index] = base[index] + eps;
      const plus = valueAt(f, xs, input, data);
      data[index] = base[index] - eps;
      const minus = valueAt(f, xs, input, data);
      const numeric = (plus - minus) / (2 * eps);
      const exact = analytic[input][index];
      const absError = Math.abs(exact - numeric);
      const relError = absError / Math.max(Math.abs(exact), Math.abs(numeric), relativeFloor);
      result.checked++;
      result.maxRelError = Math.max(result.maxRelError, Number.isNaN(relError) ? Number.POSITIVE_INFINITY : relError);
      if (absError > result.maxAbsError || Number.isNaN(absError)) {
        result.maxAbsError = Number.isNaN(absError) ? Number.POSITIVE_INFINITY : absError;
        result.worst = { input, index, analytic: exact, numeric };
      }
    }
  });
  return result;
}
