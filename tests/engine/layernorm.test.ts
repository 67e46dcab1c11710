// The fused layer norm (kernels/layernorm.ts, SIMD) against the op-by-op form in layers.ts,
// value and gradients w.r.t. x, gamma and beta on wasm; and the loss's written-out gradient
// against autodiff through the stable form, on wasm and cpu.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { layerNormAvailable, setLayerNormEnabled } from '../../src/engine/kernels/layernorm';
import { layerNorm, sigmoidCrossEntropy } from '../../src/engine/layers';
import { createRng } from '../../src/random';
import { maxAbs, randomTensor, valueAndGrads } from './fused-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(async () => {
  setLayerNormEnabled(true);
  await tf.setBackend('wasm');
});

describe.each([{ shape: [5, 12] }, { shape: [3, 7] }, { shape: [2, 4, 32] }, { shape: [256, 32] }])('layerNorm $shape', ({ shape }) => {
  it('fused: the op-by-op value and gradients w.r.t. x, gamma, beta', () => {
    expect(layerNormAvailable()).toBe(true);
    const rng = createRng(shape.reduce((a, b) => a * b, 1));
    const D = shape[shape.length - 1];
    const x = randomTensor(rng, shape, 3, 0.5);
    const gamma = randomTensor(rng, [D], 0.5, 1);
    const beta = randomTensor(rng, [D], 0.5);
    const dy = randomTensor(rng, shape);
    const run = () => valueAndGrads((a, g, b) => layerNorm(a, g, b), [x, gamma, beta], dy);
    const fused = run();
    setLayerNormEnabled(false);
    const ops = run();
    expect(maxAbs(fused.value, ops.value)).toBeLessThan(1e-5);
    ['x', 'gamma', 'beta'].forEach((name, i) => {
      let scale = 1;
      for (const v of ops.grads[i]) scale = Math.max(scale, Math.abs(v));
      expect(scale, name).toBeGreaterThan(0.1);
      expect(maxAbs(fused.grads[i], ops.grads[i]) / scale, `d${name}`).toBeLessThan(1e-5);
    });
    tf.dispose([x, gamma, beta, dy]);
  });
});

describe.each(['wasm', 'cpu'])('sigmoidCrossEntropy on %s', (backend) => {
  it('value and gradient match autodiff through softplus(z) - y z', async () => {
    await tf.setBackend(backend);
    const rng = createRng(3);
    // large logits of both signs too: the stable form must not overflow
    const z = tf.tensor1d(Float32Array.from({ length: 40 }, (_, i) => (i < 4 ? [-90, 90, -20, 20][i] : (rng() * 2 - 1) * 6)));
    const y = tf.tensor1d(Float32Array.from({ length: 40 }, (_, i) => i % 2));
    const reference = (logits: tf.Tensor) =>
      tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as tf.Scalar;
    const ours = tf.valueAndGrad((logits: tf.Tensor) => sigmoidCrossEntropy(y, logits))(z);
    const theirs = tf.valueAndGrad(reference)(z);
    expect(Math.abs(ours.value.dataSync()[0] - theirs.value.dataSync()[0])).toBeLessThan(1e-6);
    const g = ours.grad.dataSync() as Float32Array;
    expect(maxAbs(g, theirs.grad.dataSync() as Float32Array)).toBeLessThan(1e-7);
    expect(Math.abs(g[0] - 0)).toBeLessThan(1e-7); // z = -90, y = 0: sigmoid(z) ~ 0
    expect(Math.abs(g[1] - 0)).toBeLessThan(1e-7); // z = 90, y = 1
    expect(Math.abs(g[5] - (1 / (1 + Math.exp(-z.dataSync()[5])) - 1) / 40)).toBeLessThan(1e-7);
    tf.dispose([z, y, ours.value, ours.grad, theirs.value, theirs.grad]);
  });
});
