// Shared by the tests of our fused kernels: seeded random tensors, the largest difference
// between two results, an op's value and gradients, and a whole model's loss and gradients on
// a random batch (so a test can run them with a kernel on and off).
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, toBatch } from '../../src/engine/batch';
import { sigmoidCrossEntropy } from '../../src/engine/layers';
import { forwardLogits, trainableVariables, type RecModel } from '../../src/engine/model';

/** Values uniform in offset ± scale. */
export function randomTensor(rng: () => number, shape: number[], scale = 1, offset = 0): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => offset + (rng() * 2 - 1) * scale),
    shape,
  );
}

export function maxAbs(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** f at `inputs`, and the gradient of sum(f(inputs) * dy) w.r.t. each input, as arrays. */
export function valueAndGrads(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  dy: tf.Tensor,
): { value: Float32Array; grads: Float32Array[] } {
  const value = tf.tidy(
    () =>
      f(...inputs)
        .dataSync()
        .slice() as Float32Array,
  );
  const grads = tf.tidy(() =>
    tf
      .grads((...t: tf.Tensor[]) => tf.sum(tf.mul(f(...t), dy)))(inputs)
      .map((g) => g.dataSync().slice() as Float32Array),
  );
  return { value, grads };
}

/** A batch of B rows with click sequences of lengths 1..L (left-aligned, 0 = padding) over `items` items. */
export function randomBatchRows(rng: () => number, B: number, L: number, items: number) {
  const click = Int32Array.from({ length: B * L }, (_, i) => (i % L < 1 + (Math.floor(i / L) % L) ? 1 + Math.floor(rng() * items) : 0));
  return {
    size: B,
    seqLen: L,
    click,
    generator: click,
    target: Int32Array.from({ length: B }, () => 1 + Math.floor(rng() * items)),
    label: Float32Array.from({ length: B }, (_, i) => i % 2),
  };
}

/** The model's loss on the rows and its gradient w.r.t. every trainable variable. */
export function lossAndGrads(
  model: RecModel,
  rows: ReturnType<typeof randomBatchRows>,
): { loss: number; grads: Float32Array[]; names: string[] } {
  const vars = trainableVariables(model);
  const batch = toBatch(rows);
  const out = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => sigmoidCrossEntropy(batch.label, forwardLogits(model, batch)), vars);
    return {
      loss: value.dataSync()[0],
      grads: vars.map((v) => grads[v.name].dataSync().slice() as Float32Array),
      names: vars.map((v) => v.name),
    };
  });
  disposeBatch(batch);
  return out;
}
