// Our SIMD module (src/engine/kernels/simd/): its generated TS module is current, it can only
// touch the memory it is given, it loads on tfjs-wasm's heap in Node, and its GRU step kernels
// agree with the JavaScript loops (the cpu backend's code) at vector and tail widths, with the
// per-step products in our code (widths of 16k: matMulBlocked; up to SMALL_BATCH rows:
// matMulSmall) and in tfjs's matMul.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { asWasmBackend, heapOffset } from '../../src/engine/kernels/heap';
import { gruBackwardSteps, gruForwardSteps, SMALL_BATCH } from '../../src/engine/kernels/gru-step';
import { setSimdKernelsEnabled, simdKernelsFor } from '../../src/engine/kernels/simd/index';
import { SOURCE_SHA256, WASM_BASE64 } from '../../src/engine/kernels/simd/module.generated';
import { createRng } from '../../src/random';

const source = new URL('../../src/engine/kernels/simd/kernels.as', import.meta.url);

beforeAll(async () => {
  await initBackend('wasm');
});

describe('the generated module', () => {
  it('was built from the current kernels.as (else run `npm run build:kernels`)', () => {
    expect(createHash('sha256').update(readFileSync(source)).digest('hex')).toBe(SOURCE_SHA256);
  });

  it('imports only a memory and has no start function or data segment to write over the heap', () => {
    const bytes = Buffer.from(WASM_BASE64, 'base64');
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const sectionIds: number[] = [];
    let at = 8;
    while (at < bytes.length) {
      sectionIds.push(bytes[at++]);
      let size = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = bytes[at++];
        size |= (byte & 0x7f) << shift;
        if ((byte & 0x80) === 0) break;
      }
      at += size;
    }
    expect(at).toBe(bytes.length);
    expect(sectionIds).toContain(10); // code
    expect(sectionIds).not.toContain(8); // start
    expect(sectionIds).not.toContain(11); // data
  });

  it('loads on the wasm backend in Node, so the GRU tests run the SIMD code', () => {
    expect(simdKernelsFor(asWasmBackend(tf.backend()))).toBeDefined();
  });
});

function random(rng: () => number, shape: [number, number], scale = 1): tf.Tensor2D {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => (rng() * 2 - 1) * scale),
    shape,
  ) as tf.Tensor2D;
}

/** Every output of f, SIMD and JavaScript loops, on the wasm backend. */
function bothWays(f: () => tf.Tensor[]): [Float32Array[], Float32Array[]] {
  const run = () => tf.tidy(() => f().map((t) => t.dataSync().slice() as Float32Array));
  const simd = run();
  setSimdKernelsEnabled(false);
  try {
    return [simd, run()];
  } finally {
    setSimdKernelsEnabled(true);
  }
}

function expectClose(simd: Float32Array[], js: Float32Array[], tolerance: number): void {
  expect(simd.length).toBe(js.length);
  simd.forEach((values, k) => {
    expect(values.length).toBe(js[k].length);
    let max = 0;
    for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] - js[k][i]));
    expect(max, `output ${k}`).toBeLessThanOrEqual(tolerance);
  });
}

describe('matMulBlocked (two rows by 16 columns in registers)', () => {
  it.each([
    [1, 3, 16],
    [7, 32, 96],
    [256, 32, 96],
    [5, 96, 32],
    [7, 10, 37], // 16-column blocks and a tail of 5 columns
    [4, 3, 5], // tail only
  ])('a [%i, %i] times b [%i wide] as tfjs computes it', (M, K, N) => {
    const rng = createRng(M + K + N);
    const [a, b] = [random(rng, [M, K]), random(rng, [K, N])];
    const out = tf.zeros([M, N]);
    const backend = asWasmBackend(tf.backend());
    const simd = simdKernelsFor(backend)!;
    simd.matMulBlocked(heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out), M, K, N);
    const expected = tf.matMul(a, b);
    expect(tf.max(tf.abs(tf.sub(out, expected))).dataSync()[0]).toBeLessThanOrEqual(1e-5 * K);
    expect(tf.max(tf.abs(expected)).dataSync()[0]).toBeGreaterThan(0.1);
    tf.dispose([a, b, out, expected]);
  });
});

it('the cases below cover every way of the per-step products (SMALL_BATCH between their row counts)', () => {
  expect(SMALL_BATCH).toBeGreaterThanOrEqual(7);
  expect(SMALL_BATCH).toBeLessThan(20);
});

describe.each([
  { B: 7, D: 32, T: 3 }, // 3D and D multiples of 16: both products in matMulBlocked, odd rows (one-row tail)
  { B: 20, D: 16, T: 4 }, // matMulBlocked over more rows than SMALL_BATCH
  { B: 3, D: 5, T: 2 }, // 5 and 10 are not multiples of 4: vector body plus scalar tail
  { B: 2, D: 2, T: 2 }, // tail only
  { B: 20, D: 8, T: 3 }, // more rows than SMALL_BATCH, widths not 16k: tfjs's matMul
])('GRU kernels, SIMD against the JavaScript loops, B = $B, D = $D, T = $T', ({ B, D, T }) => {
  const rng = createRng(B * 100 + D);

  it('forward: out, rz, n, ghN, hAll', () => {
    const [gi, bi, bh, wh] = [random(rng, [T * B, 3 * D], 2), random(rng, [1, 3 * D]), random(rng, [1, 3 * D]), random(rng, [D, 3 * D])];
    // row b is read at step b mod T
    const readT = tf.tensor2d(
      Float32Array.from({ length: T * B }, (_, i) => (Math.floor(i / B) === (i % B) % T ? 1 : 0)),
      [T, B],
    );
    const [simd, js] = bothWays(() => gruForwardSteps(gi, tf.reshape(bi, [3 * D]), tf.reshape(bh, [3 * D]), wh, readT));
    expect(Math.max(...simd[2].map(Math.abs))).toBeGreaterThan(0.1); // n is not trivially 0
    expect(Array.from(simd[4].subarray(0, B * D))).toEqual(new Array(B * D).fill(0)); // h_{-1} = 0
    // out is the state at each row's read step: hAll block t + 1 holds h_t
    for (let b = 0; b < B; b++) {
      const t = b % T;
      expect(Array.from(simd[0].subarray(b * D, (b + 1) * D))).toEqual(
        Array.from(simd[4].subarray(((t + 1) * B + b) * D, ((t + 1) * B + b + 1) * D)),
      );
    }
    expectClose(simd, js, 1e-6);
    tf.dispose([gi, bi, bh, wh, readT]);
  });

  it('backward: dgi, dgh, db', () => {
    const inputs = {
      dOut: random(rng, [B, D]),
      readT: tf.tensor2d(
        Float32Array.from({ length: T * B }, (_, i) => (i % 3 === 0 || rng() < 0.4 ? 1 : 0)),
        [T, B],
      ),
      rz: tf.sigmoid(random(rng, [T * B, 2 * D], 3)),
      n: tf.tanh(random(rng, [T * B, D], 2)),
      ghN: random(rng, [T * B, D], 2),
      hAll: random(rng, [(T + 1) * B, D]),
      whT: random(rng, [3 * D, D]),
    };
    const [simd, js] = bothWays(() => gruBackwardSteps(inputs));
    expect(Math.max(...simd[0].map(Math.abs))).toBeGreaterThan(0.01);
    expectClose(simd, js, 2e-6);
    tf.dispose(Object.values(inputs));
  });

  it('frees every buffer it allocates inside (the per-step matMul results and scratch state)', () => {
    const [gi, wh, whT, b] = [random(rng, [T * B, 3 * D]), random(rng, [D, 3 * D]), random(rng, [3 * D, D]), tf.zeros([3 * D])];
    const dOut = random(rng, [B, D]);
    const readT = tf.ones([T, B]);
    for (const simdOn of [true, false]) {
      setSimdKernelsEnabled(simdOn);
      const before = tf.backend().numDataIds();
      const [out, rz, n, ghN, hAll] = gruForwardSteps(gi, b, b, wh, readT);
      tf.dispose(gruBackwardSteps({ dOut, readT, rz, n, ghN, hAll, whT }));
      tf.dispose([out, rz, n, ghN, hAll]);
      expect(tf.backend().numDataIds()).toBe(before);
    }
    setSimdKernelsEnabled(true);
    tf.dispose([gi, wh, whT, b, dOut, readT]);
  });
});
