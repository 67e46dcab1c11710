// SASRec's fused one-query-row attention (kernels/attention.ts, SIMD) against the same
// attention op by op (keys and values projected, softmax, weighted sum), forward and every
// gradient, on wasm; and the whole SASRec loss and gradients with and without the kernels.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { attendRow, attendRowAvailable, setAttendRowEnabled } from '../../src/engine/kernels/attention';
import { createModel, disposeModel } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig } from '../../src/engine/defaults';
import { createRng } from '../../src/random';
import { lossAndGrads, maxAbs, randomBatchRows, randomTensor, valueAndGrads } from './fused-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(() => setAttendRowEnabled(true));

/** The attention op by op, as sasrec.ts runs it where the kernels are missing. */
function reference(
  x: tf.Tensor,
  q: tf.Tensor,
  wk: tf.Tensor,
  bk: tf.Tensor,
  wv: tf.Tensor,
  bv: tf.Tensor,
  mask: tf.Tensor | null,
  H: number,
) {
  const [B, L, D] = x.shape;
  const dh = D / H;
  const flat = tf.reshape(x, [B * L, D]);
  const k = tf.reshape(tf.add(tf.matMul(flat, wk), bk), [B, L, H, dh]);
  const v = tf.reshape(tf.add(tf.matMul(flat, wv), bv), [B, L, H, dh]);
  let scores = tf.div(tf.sum(tf.mul(tf.reshape(q, [B, 1, H, dh]), k), 3), Math.sqrt(dh));
  if (mask) scores = tf.add(scores, tf.reshape(mask, [B, L, 1]));
  const weights = tf.softmax(tf.transpose(scores, [0, 2, 1])); // [B, H, L]
  return tf.reshape(tf.sum(tf.mul(tf.expandDims(tf.transpose(weights, [0, 2, 1]), 3), v), 1), [B, D]);
}

describe.each([
  { B: 6, L: 7, D: 12, H: 3, masked: true }, // dh = 4
  { B: 3, L: 5, D: 10, H: 2, masked: true }, // dh = 5: vector body plus scalar tails
  { B: 4, L: 30, D: 32, H: 4, masked: false }, // the default size, no padding mask
])('attendRow, B = $B, L = $L, D = $D, H = $H, mask $masked', ({ B, L, D, H, masked }) => {
  it('runs the kernels on wasm here', () => {
    expect(attendRowAvailable()).toBe(true);
  });

  it('gives the op-by-op value and gradients w.r.t. x, q, Wk, bk, Wv, bv', () => {
    const rng = createRng(B * 1000 + D);
    const x = randomTensor(rng, [B, L, D]);
    const q = randomTensor(rng, [B, D], 2);
    const [wk, wv] = [randomTensor(rng, [D, D]), randomTensor(rng, [D, D])];
    const [bk, bv] = [randomTensor(rng, [D], 0.5), randomTensor(rng, [D], 0.5)];
    // some rows padded after a few positions (position 0 always counts)
    const mask = masked
      ? tf.tensor2d(
          Float32Array.from({ length: B * L }, (_, i) => (i % L < 1 + ((Math.floor(i / L) * 3) % L) ? 0 : -1e9)),
          [B, L],
        )
      : null;
    const dy = randomTensor(rng, [B, D]);
    const run = (f: typeof reference) =>
      valueAndGrads((...a) => f(a[0], a[1], a[2], a[3], a[4], a[5], mask, H), [x, q, wk, bk, wv, bv], dy);
    const fused = run(attendRow);
    const ops = run(reference);
    expect(maxAbs(fused.value, ops.value)).toBeLessThan(1e-5);
    const names = ['x', 'q', 'Wk', 'bk', 'Wv', 'bv'];
    fused.grads.forEach((g, i) => {
      const scale = Math.max(1, ...ops.grads[i].map(Math.abs));
      expect(maxAbs(g, ops.grads[i]) / scale, `d${names[i]}`).toBeLessThan(1e-5);
    });
    // the gradients are not trivially zero (bk's is: the softmax ignores a bias shared by every key)
    for (const i of [0, 1, 2, 4, 5]) expect(Math.max(...ops.grads[i].map(Math.abs)), names[i]).toBeGreaterThan(1e-3);
    tf.dispose([x, q, wk, wv, bk, bv, dy, ...(mask ? [mask] : [])]);
  });
});

describe('SASRec with and without the attention kernels', () => {
  it.each(['base', 'duet'] as const)('%s: same loss and gradients', (method) => {
    const config = defaultModelConfig('sasrec', 50, { dim: 16, seqLen: 8, heads: 2 });
    const model = createModel(config, method, defaultDuetConfig(), 3);
    const rng = createRng(5);
    const rows = randomBatchRows(rng, 9, 8, 50);
    const fused = lossAndGrads(model, rows);
    setAttendRowEnabled(false);
    const ops = lossAndGrads(model, rows);
    expect(Math.abs(fused.loss - ops.loss)).toBeLessThan(1e-6);
    fused.grads.forEach((g, i) => expect(maxAbs(g, ops.grads[i]), ops.names[i]).toBeLessThan(1e-5));
    disposeModel(model);
  });
});
