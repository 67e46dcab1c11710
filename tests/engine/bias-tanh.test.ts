// tanh(x W + b) with the bias and tanh fused (kernels/bias-tanh.ts, SIMD) against the ops it
// replaces (matMul, Add, Tanh; autodiff's Square/Sub/Multiply and the bias Sum), on wasm: the
// same float32 operations in the same order, so identical where rows are whole vectors.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { biasTanhAvailable, setBiasTanhEnabled } from '../../src/engine/kernels/bias-tanh';
import { denseTanh } from '../../src/engine/layers';
import { createRng } from '../../src/random';
import { maxAbs, randomTensor, valueAndGrads } from './fused-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(() => setBiasTanhEnabled(true));

describe.each([
  { xShape: [9, 32], out: 32, tolerance: 0 },
  { xShape: [4, 6, 32], out: 32, tolerance: 0 }, // the history's [B, L, D]
  { xShape: [5, 6], out: 7, tolerance: 1e-6 }, // rows with a scalar tail
])('denseTanh x $xShape -> $out', ({ xShape, out, tolerance }) => {
  it('fused: the ops value and gradients w.r.t. x, W, b', () => {
    expect(biasTanhAvailable()).toBe(true);
    const rng = createRng(out * 31 + xShape.length);
    const inDim = xShape[xShape.length - 1];
    const x = randomTensor(rng, xShape);
    const w = randomTensor(rng, [inDim, out], 0.5);
    const b = randomTensor(rng, [out], 0.5);
    const dy = randomTensor(rng, [...xShape.slice(0, -1), out]);
    const run = () => valueAndGrads((a, c, d) => denseTanh(a, c, d), [x, w, b], dy);
    const fused = run();
    setBiasTanhEnabled(false);
    const ops = run();
    expect(maxAbs(fused.value, ops.value)).toBeLessThanOrEqual(tolerance);
    ['x', 'W', 'b'].forEach((name, i) => {
      let largest = 0;
      for (const v of ops.grads[i]) largest = Math.max(largest, Math.abs(v));
      expect(largest, name).toBeGreaterThan(0.1);
      expect(maxAbs(fused.grads[i], ops.grads[i]), `d${name}`).toBeLessThanOrEqual(tolerance);
    });
    tf.dispose([x, w, b, dy]);
  });
});
