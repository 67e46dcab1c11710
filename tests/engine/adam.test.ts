// The fused Adam update (kernels/adam.ts) against the op-by-op update it replaces: the same
// float32 operations in the same order, so the parameters and both moments must agree bit for
// bit after several steps, on wasm (SIMD, and the JavaScript loop on the heap) and on cpu.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../../src/engine/adam';
import { initBackend } from '../../src/engine/backend';
import { registerKernels } from '../../src/engine/kernels/index';
import { setSimdKernelsEnabled } from '../../src/engine/kernels/simd/index';
import { createRng } from '../../src/random';

beforeAll(async () => {
  await initBackend('wasm');
  registerKernels('cpu'); // as initBackend('cpu') does
});

afterEach(async () => {
  setSimdKernelsEnabled(true);
  await tf.setBackend('wasm');
});

// sizes with and without a tail past the last multiple of 4, a scalar-sized one and a larger one
const SHAPES: number[][] = [[3], [5, 7], [1], [64, 33], [8, 4]];

/** Parameters, moments and step count after `steps` updates with seeded gradients (some exactly zero). */
function train(fused: boolean, steps: number): Float32Array[] {
  const rng = createRng(7);
  const random = (shape: number[], scale: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(
      Float32Array.from({ length: size }, () => (rng() < 0.1 ? 0 : (rng() * 2 - 1) * scale)),
      shape,
    );
  };
  const params = new Map(SHAPES.map((shape, i) => [`w${i}`, tf.variable(random(shape, 1))]));
  const adam = new Adam(1e-3, params);
  adam.fused = fused;
  for (let s = 0; s < steps; s++) {
    const grads = new Map(SHAPES.map((shape, i) => [`w${i}`, random(shape, 10 ** ((i % 3) - 2))]));
    tf.tidy(() => adam.apply(grads));
    tf.dispose([...grads.values()]);
  }
  const out = [...params.values()].map((p) => p.dataSync().slice() as Float32Array);
  const state = tf.tidy(() =>
    [...params.keys()].flatMap((name) =>
      ['m', 'v'].map((k) => (adam as unknown as Record<string, Map<string, tf.Variable>>)[k].get(name)!.dataSync().slice() as Float32Array),
    ),
  );
  adam.dispose();
  tf.dispose([...params.values()]);
  return [...out, ...state];
}

function expectIdentical(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((values, k) => {
    let differing = 0;
    for (let i = 0; i < values.length; i++) if (!Object.is(values[i], b[k][i])) differing++;
    expect(differing, `array ${k}`).toBe(0);
  });
}

describe.each([
  { backend: 'wasm', simd: true },
  { backend: 'wasm', simd: false },
  { backend: 'cpu', simd: true },
])('Adam on $backend (SIMD $simd): the AdamUpdate kernel', ({ backend, simd }) => {
  it('is registered, so training uses it', async () => {
    await tf.setBackend(backend);
    expect(tf.getKernel('AdamUpdate', backend)).toBeDefined();
  });

  it('gives the op-by-op update bit for bit over 5 steps (parameters and both moments)', async () => {
    await tf.setBackend(backend);
    setSimdKernelsEnabled(simd);
    const opByOp = train(false, 5);
    const fused = train(true, 5);
    // the update moved every parameter array
    const initial = train(false, 0);
    SHAPES.forEach((_, k) => expect(Array.from(opByOp[k])).not.toEqual(Array.from(initial[k])));
    expectIdentical(fused, opByOp);
  });

  it('is one kernel launch per step and leaves no tensors behind', async () => {
    await tf.setBackend(backend);
    const params = new Map(SHAPES.map((shape, i) => [`w${i}`, tf.variable(tf.ones(shape))]));
    const grads = new Map(SHAPES.map((shape, i) => [`w${i}`, tf.fill(shape, 0.5)]));
    const adam = new Adam(1e-3, params);
    tf.tidy(() => adam.apply(grads));
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => tf.tidy(() => adam.apply(grads)));
    expect(info.kernels.map((k) => k.name)).toEqual(['AdamUpdate']);
    expect(tf.memory().numTensors).toBe(before);
    adam.dispose();
    tf.dispose([...params.values(), ...grads.values()]);
  });
});
