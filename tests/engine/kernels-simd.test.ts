// Our SIMD module (src/engine/kernels/simd/): its generated TS module is current, it can only
// touch the memory it is given, it loads on tfjs-wasm's heap in Node, and its GRU step kernels
// agree with the JavaScript loops (the cpu backend's code) at vector and tail widths.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { asWasmBackend } from '../../src/engine/kernels/heap';
import { gruBackwardStep, gruForwardStep } from '../../src/engine/kernels/gru-step';
import { setSimdKernelsEnabled, simdKernelsFor } from '../../src/engine/kernels/simd/index';
import { SOURCE_SHA256, WASM_BASE64 } from '../../src/engine/kernels/simd/module.generated';
import { createRng } from '../../src/shared/random';

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
  return tf.tensor(Float32Array.from({ length: size }, () => (rng() * 2 - 1) * scale), shape) as tf.Tensor2D;
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

describe.each([
  { B: 7, D: 32, T: 3 },
  { B: 3, D: 5, T: 2 }, // 5 and 10 are not multiples of 4: vector body plus scalar tail
  { B: 2, D: 2, T: 2 }, // tail only
])('GRU step kernels, SIMD against the JavaScript loops, B = $B, D = $D', ({ B, D, T }) => {
  const rng = createRng(B * 100 + D);
  const step = T - 1;

  it('forward: rz, n, ghN, hNext', () => {
    const [gh, gi, bi, bh, h] = [random(rng, [B, 3 * D], 3), random(rng, [T * B, 3 * D], 3), random(rng, [1, 3 * D]), random(rng, [1, 3 * D]), random(rng, [B, D])];
    const [simd, js] = bothWays(() => gruForwardStep(gh, gi, tf.reshape(bi, [3 * D]), tf.reshape(bh, [3 * D]), h, step));
    expect(Math.max(...simd[1].map(Math.abs))).toBeGreaterThan(0.1); // n is not trivially 0
    expectClose(simd, js, 5e-7);
    tf.dispose([gh, gi, bi, bh, h]);
  });

  for (const last of [true, false]) {
    it(`backward: dgh, dgi, dhz, dghT, dgiT, db (${last ? 'last step' : 'with a later step'})`, () => {
      const sigm = (t: tf.Tensor2D) => tf.sigmoid(t) as tf.Tensor2D;
      const inputs = {
        dOut: random(rng, [B, D]),
        m: last ? null : random(rng, [B, D]),
        dhz: last ? null : random(rng, [B, D]),
        dbAcc: last ? null : random(rng, [2, 3 * D]),
        readT: tf.tensor2d(Float32Array.from({ length: T * B }, () => (rng() < 0.5 ? 1 : 0)), [T, B]),
        rz: sigm(random(rng, [T * B, 2 * D], 3)),
        n: tf.tanh(random(rng, [T * B, D], 2)) as tf.Tensor2D,
        ghN: random(rng, [T * B, D], 2),
        hAll: random(rng, [(T + 1) * B, D]),
      };
      const [simd, js] = bothWays(() => gruBackwardStep(inputs, step));
      expect(Math.max(...simd[0].map(Math.abs))).toBeGreaterThan(0.01);
      expectClose(simd, js, 2e-6);
      tf.dispose(Object.values(inputs).filter((t): t is tf.Tensor2D => t !== null));
    });
  }
});
