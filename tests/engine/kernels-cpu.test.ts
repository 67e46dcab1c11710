// Our cpu UnsortedSegmentSum against the stock cpu kernel (slow, but a different algorithm)
// and the gather gradient against its matrix form one_hot(ids)^T W.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '../../src/random';

const stockKernel = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
const rng = createRng(9);
const random = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);

function runWith(kernel: tf.KernelConfig, f: () => tf.Tensor): number[] {
  tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
  tf.registerKernel(kernel);
  return Array.from(tf.tidy(f).dataSync());
}

let ours: tf.KernelConfig;
beforeAll(async () => {
  const { initBackend } = await import('../../src/engine/backend');
  await initBackend('cpu');
  ours = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
  expect(ours.kernelFunc).not.toBe(stockKernel.kernelFunc);
});

describe('UnsortedSegmentSum on cpu', () => {
  it('matches the stock kernel on 1-D, 2-D and 3-D inputs', () => {
    const cases: [number[], number[], number][] = [
      [[6], [0, 2, 2, 1, 0, 2], 3],
      [[7, 3], [4, 0, 4, 4, 1, 9, -1], 5], // 9 and -1 are dropped
      [[6, 3, 2], [1, 1, 0, 2, 1, 0], 3],
    ];
    for (const [shape, ids, n] of cases) {
      const x = random(shape.reduce((a, b) => a * b, 1));
      const f = () => tf.unsortedSegmentSum(tf.tensor(x, shape), tf.tensor1d(ids, 'int32'), n);
      const expected = runWith(stockKernel, f);
      const actual = runWith(ours, f);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
  });
  it('gives the gather gradient one_hot(ids)^T W', () => {
    const ids = [3, 1, 3, 0];
    const W = random(4 * 5);
    const grad = tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, tf.tensor1d(ids, 'int32')), tf.tensor(W, [4, 5]))))(tf.zeros([6, 5]));
    const expected = tf.matMul(tf.oneHot(tf.tensor1d(ids, 'int32'), 6), tf.tensor(W, [4, 5]), true).dataSync();
    Array.from(grad.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });
});
