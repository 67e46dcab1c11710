// kernels/dense-row.ts: one row's x W + b (then relu) in one launch on wasm, against matMul +
// add (+ relu), including new weights under the same shapes (XNNPACK's operator cache).
import { afterEach, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { dense, denseRelu } from '../../src/engine/layers';
import { setDenseRowEnabled } from '../../src/engine/kernels/dense-row';
import { createRng } from '../../src/random';
import { randomTensor } from './fused-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(() => setDenseRowEnabled(true));

async function run(f: () => tf.Tensor): Promise<{ values: Float32Array; kernels: string[] }> {
  let out: tf.Tensor | undefined;
  const info = await tf.profile(() => {
    out = tf.tidy(f);
    return out;
  });
  const values = (await out!.data()) as Float32Array;
  out!.dispose();
  return { values, kernels: info.kernels.map((k) => k.name) };
}

it.each([
  [32, 32],
  [32, 128],
  [128, 32],
])('dense and denseRelu of one row [1, %i] -> %i: one DenseRow launch, the value of matMul + add', async (inDim, outDim) => {
  const rng = createRng(inDim + outDim);
  const tensorsBefore = tf.memory().numTensors;
  for (let round = 0; round < 3; round++) {
    // new W and b each round: a cached operator for old weights would give the old values
    const [x, w, b] = [randomTensor(rng, [1, inDim]), randomTensor(rng, [inDim, outDim]), randomTensor(rng, [outDim])];
    for (const [ours, relu] of [
      [() => dense(x, w, b), false],
      [() => denseRelu(x, w, b), true],
    ] as const) {
      const fast = await run(ours);
      expect(fast.kernels).toEqual(['DenseRow']);
      setDenseRowEnabled(false);
      const ops = await run(ours);
      setDenseRowEnabled(true);
      expect(ops.kernels).not.toContain('DenseRow');
      const reference = await run(() => (relu ? tf.relu(tf.add(tf.matMul(x, w), b)) : tf.add(tf.matMul(x, w), b)));
      expect(ops.values).toEqual(reference.values);
      fast.values.forEach((v, i) =>
        expect(Math.abs(v - reference.values[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(reference.values[i]))),
      );
      if (relu) expect(Math.min(...fast.values)).toBeGreaterThanOrEqual(0);
    }
    tf.dispose([x, w, b]);
  }
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

it('batches and gradient scopes keep matMul + add', async () => {
  const rng = createRng(5);
  const [x, w, b] = [randomTensor(rng, [3, 8]), randomTensor(rng, [8, 4]), randomTensor(rng, [4])];
  expect((await run(() => dense(x, w, b))).kernels).not.toContain('DenseRow');
  const row = tf.slice(x, [0, 0], [1, 8]);
  const g = tf.grad((bias: tf.Tensor) => tf.sum(dense(row, w, bias)))(b);
  expect(Array.from(await g.data())).toEqual([1, 1, 1, 1]);
  tf.dispose([x, w, b, row, g]);
});

it('a bias that is a rank-1 view of other data (a reshape) gives the same value', async () => {
  const rng = createRng(9);
  const [x, w, b2] = [randomTensor(rng, [1, 16]), randomTensor(rng, [16, 8]), randomTensor(rng, [1, 8])];
  const b = tf.reshape(b2, [8]);
  const fast = await run(() => dense(x, w, b));
  expect(fast.kernels).toEqual(['DenseRow']);
  const reference = await run(() => tf.add(tf.matMul(x, w), b));
  fast.values.forEach((v, i) => expect(Math.abs(v - reference.values[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(reference.values[i]))));
  tf.dispose([x, w, b2, b]);
});
