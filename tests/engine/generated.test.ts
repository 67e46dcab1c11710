// DUET's fused generated layers (kernels/generated.ts: one matmul over [z (x) x | x | z])
// against the op-by-op form in generator.ts, value and every gradient, on wasm; and whole
// DUET models' loss and gradients with and without the fused kernels.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { generatedDenseAvailable, setGeneratedDenseEnabled } from '../../src/engine/kernels/generated';
import { setAttendRowEnabled } from '../../src/engine/kernels/attention';
import { setLayerNormEnabled } from '../../src/engine/kernels/layernorm';
import { generatedDense, generatedLayer } from '../../src/engine/generator';
import { createModel, disposeModel } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig } from '../../src/engine/defaults';
import type { Backbone } from '../../src/engine/types';
import { createRng } from '../../src/random';
import { lossAndGrads, maxAbs, randomBatchRows, randomTensor, valueAndGrads } from './fused-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(() => {
  setGeneratedDenseEnabled(true);
  setAttendRowEnabled(true);
  setLayerNormEnabled(true);
});

/** max |a_i| (a loop: spreading 100k+ values into Math.max overflows the stack). */
function largest(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

describe.each([
  { B: 5, D: 8, I: 8, O: 8 },
  { B: 3, D: 6, I: 5, O: 3 }, // widths that are not multiples of 4
  { B: 4, D: 32, I: 128, O: 64 }, // DUET-DIN's first generated layer
  { B: 4, D: 32, I: 64, O: 1 }, // and its second
])('generatedDense, B = $B, D = $D, in = $I, out = $O', ({ B, D, I, O }) => {
  it('fused: the op-by-op value and gradients w.r.t. x, z, A, a, B, c', () => {
    expect(generatedDenseAvailable()).toBe(true);
    const rng = createRng(B * 7 + D + I + O);
    const x = randomTensor(rng, [B, I]);
    const z = randomTensor(rng, [B, D]);
    const proj = {
      A: randomTensor(rng, [D, I * O], 0.5),
      a: randomTensor(rng, [I * O], 0.5),
      B: randomTensor(rng, [D, O], 0.5),
      c: randomTensor(rng, [O], 0.5),
    };
    const dy = randomTensor(rng, [B, O]);
    const inputs = [x, z, proj.A, proj.a, proj.B, proj.c];
    const run = () => valueAndGrads((...t) => generatedDense(t[0], t[1], { A: t[2], a: t[3], B: t[4], c: t[5] }, [I, O]), inputs, dy);
    const fused = run();
    setGeneratedDenseEnabled(false);
    const ops = run();
    const scaleOf = (a: Float32Array) => Math.max(1, largest(a));
    expect(maxAbs(fused.value, ops.value) / scaleOf(ops.value)).toBeLessThan(1e-5);
    ['x', 'z', 'A', 'a', 'B', 'c'].forEach((name, i) => {
      expect(largest(ops.grads[i]), name).toBeGreaterThan(1e-3);
      expect(maxAbs(fused.grads[i], ops.grads[i]) / scaleOf(ops.grads[i]), `d${name}`).toBeLessThan(1e-5);
    });
    tf.dispose([...inputs, dy]);
  });
});

describe.each([
  { B: 3, D: 8, I: 8, O: 8 },
  { B: 2, D: 6, I: 5, O: 3 },
  { B: 1, D: 32, I: 128, O: 64 },
  { B: 2, D: 32, I: 64, O: 1 },
])('generatedLayer (the layers a click returns), B = $B, D = $D, in = $I, out = $O', ({ B, D, I, O }) => {
  it('fused: [z A + a | z B + c] as the ops give it', () => {
    const rng = createRng(B + D + I + O);
    const z = randomTensor(rng, [B, D]);
    const proj = {
      A: randomTensor(rng, [D, I * O], 0.5),
      a: randomTensor(rng, [I * O], 0.5),
      B: randomTensor(rng, [D, O], 0.5),
      c: randomTensor(rng, [O], 0.5),
    };
    const fused = tf.tidy(() => generatedLayer(z, proj).dataSync().slice() as Float32Array);
    setGeneratedDenseEnabled(false);
    const ops = tf.tidy(() => generatedLayer(z, proj).dataSync().slice() as Float32Array);
    expect(fused.length).toBe(B * (I * O + O));
    expect(largest(ops)).toBeGreaterThan(0.1);
    expect(maxAbs(fused, ops) / Math.max(1, largest(ops))).toBeLessThan(1e-5);
    tf.dispose([z, proj.A, proj.a, proj.B, proj.c]);
  });
});

describe.each(['sasrec', 'gru4rec', 'din'] as Backbone[])(
  'DUET-%s with and without the fused kernels (attention, generated layers, layer norm)',
  (backbone) => {
    it('same loss and gradients', () => {
      const L = 8;
      const config = defaultModelConfig(backbone, 50, { dim: 16, seqLen: L, heads: 2 });
      const model = createModel(config, 'duet', defaultDuetConfig(), 3);
      const rng = createRng(9);
      const rows = randomBatchRows(rng, 9, L, 50);
      const fused = lossAndGrads(model, rows);
      setGeneratedDenseEnabled(false);
      setAttendRowEnabled(false);
      setLayerNormEnabled(false);
      const ops = lossAndGrads(model, rows);
      expect(Math.abs(fused.loss - ops.loss)).toBeLessThan(1e-6);
      fused.grads.forEach((g, i) => {
        const scale = Math.max(1, largest(ops.grads[i]));
        expect(maxAbs(g, ops.grads[i]) / scale, ops.names[i]).toBeLessThan(1e-5);
      });
      disposeModel(model);
    });
  },
);
