import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { checkGradients } from '../../src/engine/gradcheck';

/** tf.customGrad for one input, typed for tests. */
function withGradient(value: (x: tf.Tensor) => tf.Tensor, gradient: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor) {
  const fn = (x: tf.Tensor) => ({ value: value(x), gradFunc: (dy: tf.Tensor) => gradient(dy, x) });
  return tf.customGrad<tf.Tensor>(fn as unknown as Parameters<typeof tf.customGrad<tf.Tensor>>[0]);
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('checkGradients', () => {
  it('accepts the gradient of sum(x^2) = 2x', () => {
    const x = tf.tensor1d([0.3, -1.2, 2.0]);
    const r = checkGradients((a) => tf.sum(tf.square(a)), [x]);
    expect(r.checked).toBe(3);
    expect(r.maxRelError).toBeLessThan(1e-3);
  });

  it('accepts matmul, tanh and a sigmoid cross-entropy with two inputs', () => {
    const x = tf.tensor2d([
      [0.1, -0.4, 0.7],
      [0.5, 0.2, -0.3],
    ]);
    const w = tf.tensor2d([
      [0.2, -0.1],
      [0.4, 0.3],
      [-0.5, 0.6],
    ]);
    const labels = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.losses.sigmoidCrossEntropy(labels, tf.matMul(tf.tanh(a) as tf.Tensor2D, b as tf.Tensor2D)) as tf.Scalar;
    const r = checkGradients(loss, [x, w]);
    expect(r.checked).toBe(12);
    expect(r.maxRelError).toBeLessThan(1e-2);
  });

  it('accepts a correct customGrad', () => {
    // f(x) = sum(x^3), f'(x) = 3x^2
    const cube = withGradient(
      (x) => tf.sum(tf.pow(x, 3)),
      (dy, x) => tf.mul(dy, tf.mul(3, tf.square(x))),
    );
    const r = checkGradients((a) => cube(a) as tf.Scalar, [tf.tensor1d([0.5, -0.7, 1.1])]);
    expect(r.maxRelError).toBeLessThan(1e-3);
  });

  it('catches a deliberately wrong customGrad', () => {
    // claims d/dx sum(x^3) = 2x^2 (should be 3x^2): off by a third
    const wrong = withGradient(
      (x) => tf.sum(tf.pow(x, 3)),
      (dy, x) => tf.mul(dy, tf.mul(2, tf.square(x))),
    );
    const r = checkGradients((a) => wrong(a) as tf.Scalar, [tf.tensor1d([0.5, -0.7, 1.1])]);
    expect(r.maxRelError).toBeGreaterThan(0.3);
    expect(r.worst.input).toBe(0);
    // worst element is x = 1.1: analytic 2 * 1.21 = 2.42, numeric 3 * 1.21 + eps^2 = 3.6301
    expect(r.worst.index).toBe(2);
    expect(r.worst.analytic).toBeCloseTo(2.42, 4);
    expect(r.worst.numeric).toBeCloseTo(3.6301, 2);
  });

  it('samples a subset of elements reproducibly', () => {
    const x = tf.tensor1d(Array.from({ length: 50 }, (_, i) => i / 50));
    const a = checkGradients((v) => tf.sum(tf.sin(v)), [x], { maxElementsPerInput: 5, seed: 3 });
    const b = checkGradients((v) => tf.sum(tf.sin(v)), [x], { maxElementsPerInput: 5, seed: 3 });
    expect(a.checked).toBe(5);
    expect(a.worst).toEqual(b.worst);
  });

  it('rejects int inputs with a readable message', () => {
    expect(() => checkGradients((v) => tf.sum(v), [tf.tensor1d([1], 'int32')])).toThrow(/must be float32/);
  });

  it('does not leak tensors', () => {
    const x = tf.tensor1d([0.3, -1.2]);
    const before = tf.memory().numTensors;
    checkGradients((a) => tf.sum(tf.exp(a)), [x]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
