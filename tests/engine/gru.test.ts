// The fused GRU (one customGrad op, hand-written backprop through time) against the
// step-by-step autodiff reference, on cpu and wasm, plus finite differences and leaks.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { checkGradients } from '../../src/engine/gradcheck';
import { gruAtRead, rowsLongestFirst, type GruWeights } from '../../src/engine/gru';
import { GRU_KERNEL_NAMES, activeRows, hasGruStepKernels } from '../../src/engine/kernels/gru-step';
import { dense, matMul2d } from '../../src/engine/layers';
import { createRng, randomInt } from '../../src/random';
import { valueAndGrads } from './fused-helpers';

/** The step-by-step autodiff GRU: the reference gruAtRead is compared against. */
function gruAtReadReference(x: tf.Tensor, read: tf.Tensor, steps: number, w: GruWeights): tf.Tensor2D {
  const [B, L, D] = (x as tf.Tensor3D).shape;
  const xs = steps < L ? tf.slice(x, [0, 0, 0], [B, steps, D]) : x;
  const gi = tf.transpose(dense(xs, w.Wi, w.bi), [1, 0, 2]); // [steps, B, 3D]
  const giSteps = tf.unstack(gi); // steps x [B, 3D]
  const readSteps = tf.unstack(tf.transpose(tf.slice(read, [0, 0], [B, steps]))); // steps x [B]
  let h: tf.Tensor = tf.zeros([B, D]);
  let out: tf.Tensor = tf.zeros([B, D]);
  for (let t = 0; t < steps; t++) {
    const gh = tf.add(matMul2d(h, w.Wh), w.bh); // [B, 3D]
    const [iRz, iN] = tf.split(giSteps[t], [2 * D, D], 1);
    const [hRz, hN] = tf.split(gh, [2 * D, D], 1);
    const [r, z] = tf.split(tf.sigmoid(tf.add(iRz, hRz)), 2, 1);
    const n = tf.tanh(tf.add(iN, tf.mul(r, hN)));
    h = tf.add(n, tf.mul(z, tf.sub(h, n))); // (1 - z) n + z h
    out = tf.add(out, tf.mul(h, tf.expandDims(readSteps[t], 1)));
  }
  return out as tf.Tensor2D;
}

interface Case {
  B: number;
  L: number;
  D: number;
  steps: number;
  /** read position per row, each < steps */
  positions: number[];
}

interface Inputs {
  x: tf.Tensor3D;
  read: tf.Tensor2D;
  positions: Int32Array;
  w: GruWeights;
  /** random output weights, so every output element gets its own gradient */
  c: tf.Tensor2D;
}

function makeInputs({ B, L, D, positions }: Case, seed: number): Inputs {
  const rng = createRng(seed);
  const uniform = (shape: number[], scale: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(
      Float32Array.from({ length: size }, () => (rng() * 2 - 1) * scale),
      shape,
      'float32',
    );
  };
  const read = new Float32Array(B * L);
  positions.forEach((p, b) => (read[b * L + p] = 1));
  return {
    x: uniform([B, L, D], 1) as tf.Tensor3D,
    read: tf.tensor2d(read, [B, L]),
    positions: Int32Array.from(positions),
    w: { Wi: uniform([D, 3 * D], 0.8), bi: uniform([3 * D], 0.3), Wh: uniform([D, 3 * D], 0.8), bh: uniform([3 * D], 0.3) },
    c: uniform([B, D], 1) as tf.Tensor2D,
  };
}

function disposeInputs(inputs: Inputs): void {
  tf.dispose([inputs.x, inputs.read, inputs.c, inputs.w.Wi, inputs.w.bi, inputs.w.Wh, inputs.w.bh]);
}

/** A GRU read at each row's position, as the model calls it. */
type Gru = (x: tf.Tensor, inputs: Inputs, steps: number, w: GruWeights) => tf.Tensor2D;
const fused: Gru = (x, inputs, _steps, w) => gruAtRead(x, inputs.positions, w);
const reference: Gru = (x, inputs, steps, w) => gruAtReadReference(x, inputs.read, steps, w);

/** loss = sum(c * gru(x)) as a function of x, Wi, bi, Wh, bh. */
function lossOf(gru: Gru, inputs: Inputs, steps: number) {
  return (x: tf.Tensor, Wi: tf.Tensor, bi: tf.Tensor, Wh: tf.Tensor, bh: tf.Tensor) =>
    tf.sum(tf.mul(inputs.c, gru(x, inputs, steps, { Wi, bi, Wh, bh }))) as tf.Scalar;
}

function argsOf(inputs: Inputs): tf.Tensor[] {
  return [inputs.x, inputs.w.Wi, inputs.w.bi, inputs.w.Wh, inputs.w.bh];
}

function valuesAndGrads(gru: Gru, inputs: Inputs, steps: number): { out: Float32Array; grads: Float32Array[] } {
  const f = (x: tf.Tensor, Wi: tf.Tensor, bi: tf.Tensor, Wh: tf.Tensor, bh: tf.Tensor) => gru(x, inputs, steps, { Wi, bi, Wh, bh });
  const { value, grads } = valueAndGrads(f, argsOf(inputs), inputs.c);
  return { out: value, grads };
}

/** max |a - b| over max |b|: the error relative to the gradient's scale. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let maxError = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    maxError = Math.max(maxError, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return maxError / Math.max(scale, 1e-6);
}

const cases: Record<string, Case> = {
  'steps < L, varied read positions': { B: 6, L: 7, D: 4, steps: 5, positions: [4, 0, 2, 4, 1, 3] },
  'steps = L': { B: 3, L: 4, D: 5, steps: 4, positions: [3, 1, 0] },
  'many rows of every length, shuffled': {
    B: 40,
    L: 9,
    D: 8,
    steps: 9,
    positions: Array.from({ length: 40 }, (_, b) => (b * 7) % 9),
  },
};

describe('activeRows: the rows each step computes', () => {
  it('is 1 + the last row read at or after the step', () => {
    // readT [T = 3, B = 4]: rows read at steps 2, 0, 1, 0
    const readT = [0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0];
    expect(Array.from(activeRows(readT, 3, 4))).toEqual([4, 3, 1]);
    // rows ordered longest first: the counts are the rows still running
    expect(Array.from(activeRows([0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0], 3, 4))).toEqual([4, 3, 1]);
    expect(Array.from(activeRows([0, 0, 0, 0], 2, 2))).toEqual([0, 0]);
  });

  it('orders rows longest first, ties by row', () => {
    expect(Array.from(rowsLongestFirst(Int32Array.of(2, 0, 4, 2, 1)))).toEqual([2, 0, 3, 4, 1]);
  });
});

beforeAll(async () => {
  await initBackend('cpu');
  await initBackend('wasm');
});

/** Runs f with the step kernels unregistered: the op-by-op path webgl and webgpu take. */
function withoutStepKernels<T>(f: () => T): T {
  const configs = GRU_KERNEL_NAMES.map((name) => tf.getKernel(name, tf.getBackend()));
  configs.forEach((config, i) => {
    if (config === undefined) throw new Error(`${GRU_KERNEL_NAMES[i]} should be registered on cpu and wasm`);
    tf.unregisterKernel(config.kernelName, config.backendName);
  });
  try {
    expect(hasGruStepKernels()).toBe(false);
    return f();
  } finally {
    configs.forEach((config) => tf.registerKernel(config!));
  }
}

describe.each(['cpu', 'wasm'] as const)('gruAtRead on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('uses the step kernels here', () => {
    expect(hasGruStepKernels()).toBe(true);
  });

  it('matches the reference without the step kernels too (the webgl/webgpu path)', () => {
    const c = cases['steps < L, varied read positions'];
    const inputs = makeInputs(c, 17);
    const opByOp = withoutStepKernels(() => valuesAndGrads(fused, inputs, c.steps));
    const expected = valuesAndGrads(reference, inputs, c.steps);
    opByOp.out.forEach((v, i) => expect(Math.abs(v - expected.out[i])).toBeLessThanOrEqual(1e-5));
    ['x', 'Wi', 'bi', 'Wh', 'bh'].forEach((param, k) => {
      expect(relativeError(opByOp.grads[k], expected.grads[k]), param).toBeLessThanOrEqual(1e-4);
    });
    disposeInputs(inputs);
  });

  for (const [name, c] of Object.entries(cases)) {
    it(`matches the autodiff reference, forward and every gradient: ${name}`, () => {
      const inputs = makeInputs(c, 7);
      const actual = valuesAndGrads(fused, inputs, c.steps);
      const expected = valuesAndGrads(reference, inputs, c.steps);
      expect(actual.out.length).toBe(c.B * c.D);
      actual.out.forEach((v, i) => expect(Math.abs(v - expected.out[i])).toBeLessThanOrEqual(1e-5));
      // the reference output is not trivially zero: the check above means something
      expect(Math.max(...Array.from(expected.out, Math.abs))).toBeGreaterThan(0.05);
      ['x', 'Wi', 'bi', 'Wh', 'bh'].forEach((param, k) => {
        expect(relativeError(actual.grads[k], expected.grads[k]), param).toBeLessThanOrEqual(1e-4);
      });
      disposeInputs(inputs);
    });
  }

  it('computes one step by hand: h = (1 - z) n from h_0 = 0', () => {
    const c: Case = { B: 2, L: 3, D: 2, steps: 1, positions: [0, 0] };
    const inputs = makeInputs(c, 13);
    const out = tf.tidy(() => gruAtRead(inputs.x, inputs.positions, inputs.w).arraySync());
    const [x, wi, bi, bh] = [
      inputs.x.arraySync(),
      inputs.w.Wi.arraySync() as number[][],
      inputs.w.bi.arraySync() as number[],
      inputs.w.bh.arraySync() as number[],
    ];
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    for (let b = 0; b < c.B; b++) {
      // gi = x_0 Wi + bi; gh = h_0 Wh + bh = bh
      const gi = Array.from({ length: 3 * c.D }, (_, j) => bi[j] + x[b][0].reduce((acc, v, k) => acc + v * wi[k][j], 0));
      for (let d = 0; d < c.D; d++) {
        const r = sigmoid(gi[d] + bh[d]);
        const z = sigmoid(gi[c.D + d] + bh[c.D + d]);
        const n = Math.tanh(gi[2 * c.D + d] + r * bh[2 * c.D + d]);
        expect(Math.abs(out[b][d] - (1 - z) * n)).toBeLessThanOrEqual(1e-5);
      }
    }
    disposeInputs(inputs);
  });

  it('reads each row at its own position (output = the reference state there, rows independent)', () => {
    const c = cases['steps < L, varied read positions'];
    const inputs = makeInputs(c, 11);
    const out = tf.tidy(() => gruAtRead(inputs.x, inputs.positions, inputs.w).arraySync());
    // running the GRU alone on row b for positions[b] + 1 steps gives the same state
    c.positions.forEach((p, b) => {
      const single = tf.tidy(() => {
        const x = tf.slice(inputs.x, [b, 0, 0], [1, c.L, c.D]);
        return gruAtRead(x, Int32Array.of(p), inputs.w).arraySync()[0];
      });
      single.forEach((v, d) => expect(Math.abs(v - out[b][d])).toBeLessThanOrEqual(1e-5));
    });
    disposeInputs(inputs);
  });

  it("gives items past a row's read position exactly zero gradient", () => {
    const c = cases['many rows of every length, shuffled'];
    const inputs = makeInputs(c, 23);
    const { Wi, bi, Wh, bh } = inputs.w;
    const loss = lossOf(fused, inputs, c.steps);
    const dx = tf.tidy(
      () =>
        tf
          .grad((x: tf.Tensor) => loss(x, Wi, bi, Wh, bh))(inputs.x)
          .arraySync() as number[][][],
    );
    let past = 0;
    c.positions.forEach((p, b) => {
      for (let j = p + 1; j < c.L; j++) {
        past++;
        dx[b][j].forEach((v) => expect(v).toBe(0));
      }
      expect(Math.max(...dx[b][p].map(Math.abs))).toBeGreaterThan(0);
    });
    expect(past).toBeGreaterThan(100);
    disposeInputs(inputs);
  });

  it('leaks no tensors over a forward and backward pass', () => {
    const c = cases['steps < L, varied read positions'];
    const inputs = makeInputs(c, 3);
    const before = tf.memory().numTensors;
    const grads = tf.grads(lossOf(fused, inputs, c.steps))(argsOf(inputs));
    tf.dispose(grads);
    tf.tidy(() => gruAtRead(inputs.x, inputs.positions, inputs.w)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeInputs(inputs);
  });
});

describe('gruAtRead gradients against finite differences (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('agrees with central differences for x, Wi, bi, Wh and bh', () => {
    const rng = createRng(5);
    const c: Case = { B: 3, L: 5, D: 3, steps: 4, positions: [3, 1, randomInt(rng, 4)] };
    const inputs = makeInputs(c, 5);
    const result = checkGradients(lossOf(fused, inputs, c.steps), argsOf(inputs), { eps: 1e-2 });
    expect(result.checked).toBe(3 * 5 * 3 + 2 * 27 + 2 * 9);
    expect(result.maxRelError).toBeLessThan(1e-2);
    disposeInputs(inputs);
  });
});
