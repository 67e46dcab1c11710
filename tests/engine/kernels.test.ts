// Each replacement WASM kernel against the cpu backend on random inputs.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { createRng, randomInt } from '../../src/random';

type Backend = 'wasm' | 'cpu';
const rng = createRng(42);

function randomData(size: number, dtype: 'float32' | 'int32' | 'bool'): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'float32') return Float32Array.from({ length: size }, () => rng() * 2 - 1);
  if (dtype === 'int32') return Int32Array.from({ length: size }, () => randomInt(rng, 1000) - 500);
  return Uint8Array.from({ length: size }, () => randomInt(rng, 2));
}

type Values = Float32Array | Int32Array | Uint8Array;

/** Runs `f` on a backend and returns every output's shape and values. */
async function runOn(backend: Backend, f: () => tf.Tensor | tf.Tensor[]): Promise<{ shape: number[]; values: Values }[]> {
  await tf.setBackend(backend);
  const outs = f();
  const list = Array.isArray(outs) ? outs : [outs];
  const result = list.map((t) => ({ shape: t.shape, values: (t.dataSync() as Values).slice() }));
  tf.dispose(list);
  return result;
}

/**
 * The largest |a - b| (NaN if the lengths differ or either has a NaN where the other has not).
 * A loop over typed arrays: toEqual on 2M-element arrays took ~11 s.
 */
function maxAbsDifference(a: Values, b: Values): number {
  if (a.length !== b.length) return Number.NaN;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Number.NaN;
    const diff = Math.abs(a[i] - b[i]);
    if (diff > max) max = diff;
  }
  return max;
}

async function expectSameOnBoth(f: () => tf.Tensor | tf.Tensor[], tolerance = 0): Promise<void> {
  const wasm = await runOn('wasm', f);
  const cpu = await runOn('cpu', f);
  expect(wasm.map((o) => o.shape)).toEqual(cpu.map((o) => o.shape));
  wasm.forEach((out, i) => {
    expect(out.values.constructor).toBe(cpu[i].values.constructor);
    expect(maxAbsDifference(out.values, cpu[i].values), `output ${i}`).toBeLessThanOrEqual(tolerance);
  });
}

describe('maxAbsDifference (the comparison every test here relies on)', () => {
  it('is 0 only for equal arrays and catches one differing element, a length change or a NaN', () => {
    const a = Float32Array.from([1, 2, 3]);
    expect(maxAbsDifference(a, a.slice())).toBe(0);
    expect(maxAbsDifference(a, Float32Array.from([1, 2, 3.5]))).toBe(0.5);
    expect(maxAbsDifference(a, Float32Array.from([1, 2]))).toBeNaN();
    expect(maxAbsDifference(a, Float32Array.from([1, Number.NaN, 3]))).toBeNaN();
    expect(maxAbsDifference(a, Float32Array.from([1, 2, 3])) <= 0).toBe(true);
  });
});

beforeAll(async () => {
  await initBackend('cpu');
  const active = await initBackend('wasm');
  expect(active.name).toBe('wasm');
});

describe('replacement kernels are registered', () => {
  it('for Slice, SplitV, Unpack, Concat, GatherV2, Tanh, Sum and the missing UnsortedSegmentSum', () => {
    for (const name of ['Slice', 'SplitV', 'Unpack', 'Concat', 'GatherV2', 'Tanh', 'Sum', 'UnsortedSegmentSum']) {
      expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    }
    expect(tf.getKernel('Slice', 'wasm')!.kernelFunc.name).not.toBe('slice'); // the stock one is named slice
  });
});

describe('Slice', () => {
  const cases: { shape: number[]; begin: number[]; size: number[] }[] = [
    { shape: [7], begin: [2], size: [4] },
    { shape: [5, 6], begin: [1, 0], size: [3, 6] }, // whole rows: one contiguous run
    { shape: [5, 6], begin: [1, 2], size: [3, 3] },
    { shape: [5, 6], begin: [0, 5], size: [-1, 1] },
    { shape: [3, 4, 5], begin: [1, 1, 0], size: [2, 2, 5] },
    { shape: [3, 4, 5], begin: [0, 2, 1], size: [3, 1, 3] },
    { shape: [2, 3, 4, 5], begin: [1, 0, 1, 2], size: [1, 3, 2, 3] },
    { shape: [2, 2, 3, 2, 3], begin: [0, 1, 1, 0, 1], size: [2, 1, 2, 2, 2] },
    { shape: [4, 3], begin: [2, 0], size: [0, 3] },
  ];
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    for (const { shape, begin, size } of cases) {
      it(`${dtype} ${JSON.stringify(shape)} begin ${begin} size ${size}`, async () => {
        const data = randomData(
          shape.reduce((a, b) => a * b, 1),
          dtype,
        );
        await expectSameOnBoth(() => tf.slice(tf.tensor(data, shape, dtype), begin, size));
      });
    }
  }
  it('random boxes on random shapes', async () => {
    for (let trial = 0; trial < 30; trial++) {
      const rank = 1 + randomInt(rng, 4);
      const shape = Array.from({ length: rank }, () => 1 + randomInt(rng, 5));
      const begin = shape.map((n) => randomInt(rng, n));
      const size = shape.map((n, i) => 1 + randomInt(rng, n - begin[i]));
      const data = randomData(
        shape.reduce((a, b) => a * b, 1),
        'float32',
      );
      await expectSameOnBoth(() => tf.slice(tf.tensor(data, shape), begin, size));
    }
  });
});

describe('SplitV', () => {
  const cases: { shape: number[]; splits: number | number[]; axis: number }[] = [
    { shape: [4, 6], splits: [1, 2, 3], axis: 1 },
    { shape: [6, 4], splits: 3, axis: 0 },
    { shape: [3, 4, 5], splits: [2, -1], axis: -1 },
    { shape: [3, 4, 5], splits: [1, 3], axis: 1 },
    { shape: [2, 30, 32], splits: 30, axis: 1 },
  ];
  for (const { shape, splits, axis } of cases) {
    it(`${JSON.stringify(shape)} into ${JSON.stringify(splits)} on axis ${axis}`, async () => {
      const data = randomData(
        shape.reduce((a, b) => a * b, 1),
        'float32',
      );
      await expectSameOnBoth(() => tf.split(tf.tensor(data, shape), splits, axis));
    });
  }
  it('int32', async () => {
    const data = randomData(24, 'int32');
    await expectSameOnBoth(() => tf.split(tf.tensor(data, [4, 6], 'int32'), [4, 2], 1));
  });
  it('stays correct when the outputs grow the WASM heap', async () => {
    // 8 MB in, 8 MB out in two pieces; checked against the input's own halves (the cpu
    // backend's strided slice took seconds at this size)
    const rows = 1024;
    const data = new Float32Array(rows * 2048);
    for (let i = 0; i < data.length; i++) data[i] = i;
    const pieces = await runOn('wasm', () => tf.split(tf.tensor(data, [rows, 2048]), 2, 1));
    expect(pieces.map((p) => p.shape)).toEqual([
      [rows, 1024],
      [rows, 1024],
    ]);
    pieces.forEach(({ values }, k) => {
      const expected = new Float32Array(rows * 1024);
      for (let r = 0; r < rows; r++) expected.set(data.subarray(r * 2048 + k * 1024, r * 2048 + (k + 1) * 1024), r * 1024);
      expect(maxAbsDifference(values, expected), `piece ${k}`).toBe(0);
    });
  });
});

describe('Unpack', () => {
  for (const axis of [0, 1, 2, -1]) {
    it(`[3, 4, 5] on axis ${axis}`, async () => {
      const data = randomData(60, 'float32');
      await expectSameOnBoth(() => tf.unstack(tf.tensor(data, [3, 4, 5]), axis));
    });
  }
  it('int32 matrix by rows', async () => {
    const data = randomData(12, 'int32');
    await expectSameOnBoth(() => tf.unstack(tf.tensor(data, [4, 3], 'int32')));
  });
});

describe('Concat', () => {
  it('2-D on both axes', async () => {
    const a = randomData(6, 'float32');
    const b = randomData(8, 'float32');
    await expectSameOnBoth(() => tf.concat([tf.tensor(a, [2, 3]), tf.tensor(b, [2, 4])], 1));
    await expectSameOnBoth(() => tf.concat([tf.tensor(a, [3, 2]), tf.tensor(b, [4, 2])], 0));
  });
  it('three 3-D tensors on the middle axis, with an empty one', async () => {
    const a = randomData(2 * 1 * 4, 'float32');
    const c = randomData(2 * 3 * 4, 'float32');
    await expectSameOnBoth(() => tf.concat([tf.tensor(a, [2, 1, 4]), tf.zeros([2, 0, 4]), tf.tensor(c, [2, 3, 4])], 1));
  });
  it('int32 and stack (Pack goes through Concat)', async () => {
    const a = randomData(6, 'int32');
    const b = randomData(6, 'int32');
    await expectSameOnBoth(() => tf.concat([tf.tensor(a, [2, 3], 'int32'), tf.tensor(b, [2, 3], 'int32')], -1));
    await expectSameOnBoth(() => tf.stack([tf.tensor(a, [2, 3], 'int32'), tf.tensor(b, [2, 3], 'int32')], 1));
  });
});

describe('GatherV2', () => {
  it('many rows of 32 floats and of 3 int32s (the WASM row copy)', async () => {
    const ids = Int32Array.from({ length: 500 }, () => randomInt(rng, 40));
    const [floats, ints] = [randomData(40 * 32, 'float32'), randomData(40 * 3, 'int32')];
    await expectSameOnBoth(() => tf.gather(tf.tensor(floats, [40, 32]), tf.tensor1d(ids, 'int32')), 0);
    await expectSameOnBoth(() => tf.gather(tf.tensor(ints, [40, 3], 'int32'), tf.tensor1d(ids, 'int32')), 0);
  });
  const table = randomData(9 * 4, 'float32');
  it('rows of a table for 1-D and 2-D indices (embedding lookups)', async () => {
    const ids = Int32Array.from([3, 0, 8, 3, 5, 5]);
    await expectSameOnBoth(() => tf.gather(tf.tensor(table, [9, 4]), tf.tensor1d(ids, 'int32')));
    await expectSameOnBoth(() => tf.gather(tf.tensor(table, [9, 4]), tf.tensor2d(ids, [2, 3], 'int32')));
    await expectSameOnBoth(() => tf.gather(tf.tensor(table, [9, 2, 2]), tf.tensor2d(ids, [3, 2], 'int32')));
  });
  it('int32 tables, 1-D tables and an empty index list', async () => {
    const values = randomData(9, 'int32');
    await expectSameOnBoth(() => tf.gather(tf.tensor(values, [9], 'int32'), tf.tensor1d([8, 1, 1], 'int32')));
    await expectSameOnBoth(() => tf.gather(tf.tensor(table, [9, 4]), tf.tensor1d([], 'int32')));
  });
  // (batchDims > 0 also goes to the stock kernel, which gets it wrong in 4.22; nothing here uses it)
  it('other axes (stock kernel)', async () => {
    await expectSameOnBoth(() => tf.gather(tf.tensor(table, [9, 4]), tf.tensor1d([3, 1, 3], 'int32'), 1));
    await expectSameOnBoth(() => tf.gather(tf.tensor(table, [3, 3, 4]), tf.tensor1d([2, 0], 'int32'), -2));
  });
  it('rejects an index outside the table with a readable error', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const t = tf.tensor(table, [9, 4]);
    const ids = tf.tensor1d([2, 9], 'int32');
    expect(() => tf.gather(t, ids)).toThrow(/index 9 is not in \[0, 8\]/);
    tf.dispose([t, ids]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Tanh (SIMD)', () => {
  it('matches the cpu backend within 2e-7 on every branch: |x| < 0.625, large, saturated, odd sizes', async () => {
    const values = Float32Array.from({ length: 4099 }, (_, i) => (i % 3 === 0 ? (rng() * 2 - 1) * 0.7 : (rng() * 2 - 1) * 12));
    values.set([0, -0, 0.625, -0.625, 1e-6, -1e-6, 88, -88, 200, -200]);
    for (const size of [1, 3, 4, 7, 4099]) {
      await expectSameOnBoth(() => tf.tanh(tf.tensor1d(values.subarray(0, size))), 2e-7);
    }
  });
  it('keeps small values accurate relative to their size (no 1 - 2/(e^2x + 1) cancellation)', async () => {
    await tf.setBackend('wasm');
    const x = Float32Array.from([1e-3, -2e-4, 3e-5, 0.1, -0.3]);
    const out = tf.tidy(() => tf.tanh(tf.tensor1d(x)).dataSync());
    x.forEach((v, i) => expect(Math.abs(out[i] - Math.tanh(v)) / Math.abs(Math.tanh(v))).toBeLessThan(3e-7));
  });
  it('gives the stock gradient, 1 - tanh^2', async () => {
    const x = randomData(64, 'float32');
    await expectSameOnBoth(() => tf.grad((t: tf.Tensor) => tf.sum(tf.tanh(t)))(tf.tensor1d(x)), 4e-7);
  });
});

describe('Sum (SIMD over leading axes)', () => {
  const cases: { shape: number[]; axis: number | number[]; keepDims?: boolean }[] = [
    { shape: [7680, 32], axis: 0 }, // a bias gradient
    { shape: [37, 7], axis: 0 }, // columns not a multiple of 4
    { shape: [256, 32, 32], axis: 0 },
    { shape: [6, 5, 3], axis: [1, 0], keepDims: true },
    { shape: [6, 5, 3], axis: -3 },
    { shape: [6, 5, 3], axis: 1 }, // not leading: stock kernel
    { shape: [6, 5, 3], axis: [0, 1, 2] }, // everything: stock kernel
    { shape: [4, 6], axis: 1 },
    { shape: [0, 6], axis: 0 }, // empty
  ];
  for (const { shape, axis, keepDims } of cases) {
    it(`${JSON.stringify(shape)} over ${JSON.stringify(axis)}${keepDims ? ', keepDims' : ''}`, async () => {
      const data = randomData(
        shape.reduce((a, b) => a * b, 1),
        'float32',
      );
      // float32 sums of up to 7,680 terms in [-1, 1] against the cpu backend's float64 accumulator
      const rows = shape.length === 0 ? 1 : shape[0];
      await expectSameOnBoth(() => tf.sum(tf.tensor(data, shape), axis, keepDims), rows > 100 ? 1e-3 : 2e-6);
    });
  }
  it('int32 goes to the stock kernel', async () => {
    const data = randomData(24, 'int32');
    await expectSameOnBoth(() => tf.sum(tf.tensor(data, [4, 6], 'int32'), 0));
  });
  it('gives the bias gradient of a dense layer', async () => {
    const dy = randomData(64 * 12, 'float32');
    await expectSameOnBoth(
      () => tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.zeros([64, 12]), b), tf.tensor(dy, [64, 12]))))(tf.zeros([12])),
      2e-5,
    );
  });
});

describe('Equal', () => {
  const cases: [number[], number[]][] = [
    [
      [256, 30, 4],
      [256, 1, 4],
    ], // the softmax max's gradient mask
    [
      [5, 3],
      [5, 3],
    ],
    [[5, 3], [3]],
    [
      [5, 1],
      [1, 4],
    ],
    [[2, 3, 4], [4]],
    [[1], [6]],
    [
      [2, 1, 3, 1],
      [4, 1, 5],
    ],
    [[0, 3], [3]],
  ];
  for (const [shapeA, shapeB] of cases) {
    it(`${JSON.stringify(shapeA)} vs ${JSON.stringify(shapeB)}`, async () => {
      // few distinct values, so equal pairs are common
      const values = (shape: number[]) => Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => randomInt(rng, 3));
      const [a, b] = [values(shapeA), values(shapeB)];
      await expectSameOnBoth(() => tf.equal(tf.tensor(a, shapeA), tf.tensor(b, shapeB)));
    });
  }
  it('int32 and bool, and NaN is never equal', async () => {
    const [a, b] = [randomData(12, 'int32'), randomData(4, 'int32')];
    a[5] = b[1];
    await expectSameOnBoth(() => tf.equal(tf.tensor(a, [3, 4], 'int32'), tf.tensor(b, [4], 'int32')));
    await expectSameOnBoth(() => tf.equal(tf.tensor([true, false, true], [3], 'bool'), tf.tensor([true], [1], 'bool')));
    await expectSameOnBoth(() => tf.equal(tf.tensor([Number.NaN, 1]), tf.tensor([Number.NaN, 1])));
  });
  it('gives the max gradient (softmax) the stock mask', async () => {
    const x = randomData(2 * 5 * 3, 'float32');
    await expectSameOnBoth(
      () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.max(t, 1, true), tf.tensor([1, 2, 3], [1, 1, 3]))))(tf.tensor(x, [2, 5, 3])),
      1e-6,
    );
  });
});

describe('Identity (a view, not a copy)', () => {
  it('shares the data, which outlives either tensor alone, as one buffer', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = tf.memory().numDataBuffers;
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const copy = tf.clone(x);
    expect(tf.memory().numDataBuffers - buffersBefore).toBe(1); // one buffer for both
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(copy.shape).toEqual([2, 3]);
    copy.dispose();
    expect(tf.memory().numDataBuffers).toBe(buffersBefore);
  });
  it('int32 and bool, and the gradient of a customGrad that saves its input', async () => {
    await expectSameOnBoth(() => [tf.clone(tf.tensor1d([3, -1], 'int32')), tf.clone(tf.tensor1d([1, 0], 'bool'))], 0);
    const square = tf.customGrad((x, save) => {
      (save as tf.GradSaveFunc)([x as tf.Tensor]);
      return { value: tf.square(x as tf.Tensor), gradFunc: (dy, [saved]) => tf.mul(dy, tf.mul(saved, 2)) };
    });
    await expectSameOnBoth(() => tf.grad((x) => tf.sum(square(x) as tf.Tensor))(tf.tensor1d([1.5, -2, 3])), 0);
  });
});

describe('BatchMatMul (ours for 16k-wide outputs, transposed operands copied for XNNPACK otherwise)', () => {
  const shapes: [number, number, number][] = [
    [20, 7, 32], // ours: rows in pairs, K not a multiple of 4
    [9, 33, 48], // ours: an odd row
    [3, 5, 16], // fewer rows than MIN_ROWS: XNNPACK
    [20, 9, 10], // narrower than 16: XNNPACK, transposed operands copied first
    [11, 6, 37], // 16k columns and a tail of 5 (plain product); transposed: copied for XNNPACK
    [1, 8, 1030], // one row against a wide matrix (a click's catalog scores): ours
    [16, 40, 10], // a^T b with rows 16k and columns not: ours as (b^T a)^T
  ];
  for (const [M, K, N] of shapes) {
    it(`[${M}, ${K}] x [${K}, ${N}] with every transpose flag, and a leading batch of 1`, async () => {
      for (const [transposeA, transposeB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        const a = randomData(M * K, 'float32');
        const b = randomData(K * N, 'float32');
        const aShape: [number, number] = transposeA ? [K, M] : [M, K];
        const bShape: [number, number] = transposeB ? [N, K] : [K, N];
        await expectSameOnBoth(
          () => tf.matMul(tf.tensor(a, aShape) as tf.Tensor2D, tf.tensor(b, bShape) as tf.Tensor2D, transposeA, transposeB),
          1e-5,
        );
        await expectSameOnBoth(() => tf.matMul(tf.tensor(a, [1, ...aShape]), tf.tensor(b, [1, ...bShape]), transposeA, transposeB), 1e-5);
      }
    });
  }
  it('leaves real batches of matrices and int32 to the stock kernel', async () => {
    const a = randomData(2 * 4 * 3, 'float32');
    const b = randomData(2 * 3 * 16, 'float32');
    await expectSameOnBoth(() => tf.matMul(tf.tensor(a, [2, 4, 3]), tf.tensor(b, [2, 3, 16])), 1e-5);
  });
});

describe('Tile (block copies)', () => {
  it('matches the cpu backend on the shape DIN tiles, every axis, a zero rep and int32', async () => {
    const cases: [number[], number[]][] = [
      [
        [256, 1, 32],
        [1, 30, 1],
      ],
      [
        [2, 3, 4],
        [3, 1, 2],
      ],
      [[5], [7]],
      [
        [2, 3],
        [1, 1],
      ],
      [
        [2, 3],
        [0, 2],
      ],
      [
        [1, 2, 1, 3],
        [2, 2, 3, 1],
      ],
    ];
    for (const [shape, reps] of cases) {
      const x = randomData(
        shape.reduce((a, b) => a * b, 1),
        'float32',
      );
      await expectSameOnBoth(() => tf.tile(tf.tensor(x, shape), reps), 0);
    }
    const ints = randomData(6, 'int32');
    await expectSameOnBoth(() => tf.tile(tf.tensor(ints, [2, 3], 'int32'), [2, 3]), 0);
  });
});

describe('Transpose (a view when only size-1 axes move)', () => {
  it('matches the cpu backend for identity, size-1 moves and real transposes', async () => {
    const x = randomData(2 * 1 * 3 * 4, 'float32');
    for (const perm of [
      [0, 1, 2, 3],
      [1, 0, 2, 3],
      [0, 2, 1, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
    ]) {
      await expectSameOnBoth(() => tf.transpose(tf.tensor(x, [2, 1, 3, 4]), perm), 0);
    }
    const ints = randomData(6, 'int32');
    await expectSameOnBoth(() => tf.transpose(tf.tensor(ints, [1, 6], 'int32')), 0);
  });
  it('gives tf.gather its stock gradient on axis 0', async () => {
    const table = randomData(5 * 3, 'float32');
    await expectSameOnBoth(
      () =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([4, 0, 4, 2], 'int32')), tf.reshape(tf.range(0, 12), [4, 3]))))(
          tf.tensor(table, [5, 3]),
        ),
      1e-6,
    );
  });
});

describe('UnsortedSegmentSum', () => {
  it('sums rows into segments, dropping nothing valid', async () => {
    const x = randomData(6 * 4, 'float32');
    const ids = Int32Array.from([2, 0, 2, 4, 0, 2]);
    await expectSameOnBoth(() => tf.unsortedSegmentSum(tf.tensor(x, [6, 4]), tf.tensor1d(ids, 'int32'), 5), 1e-6);
  });
  it('rows of 7 and 32 floats (SIMD body and tail), repeated and out-of-range ids', async () => {
    for (const inner of [7, 32]) {
      const rows = 50;
      const x = randomData(rows * inner, 'float32');
      const ids = Int32Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? -1 : i % 13 === 0 ? 9 : i % 9));
      await expectSameOnBoth(() => tf.unsortedSegmentSum(tf.tensor(x, [rows, inner]), tf.tensor1d(ids, 'int32'), 9), 0);
    }
  });
  it('hand-computed 1-D case and int32', async () => {
    const [out] = await runOn('wasm', () =>
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([1, 1, 0, 1], 'int32'), 3),
    );
    expect(Array.from(out.values)).toEqual([3, 7, 0]); // segment 0: 3; segment 1: 1 + 2 + 4; segment 2: empty
  });
});

describe('gradient of gather (embedding lookup) on wasm matches cpu', () => {
  const table = randomData(8 * 5, 'float32');
  const weights = randomData(6 * 5, 'float32');
  const indices = Int32Array.from([3, 1, 3, 7, 0, 3]);
  it('axis 0, repeated indices', async () => {
    await expectSameOnBoth(() => {
      const w = tf.tensor(weights, [6, 5]);
      const idx = tf.tensor1d(indices, 'int32');
      return tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, idx), w)))(tf.tensor(table, [8, 5]));
    }, 1e-6);
  });
  it('2-D indices (batch x sequence) and axis 1', async () => {
    await expectSameOnBoth(() => {
      const idx = tf.tensor2d(indices, [2, 3], 'int32');
      return tf.grad((e: tf.Tensor) => tf.sum(tf.square(tf.gather(e, idx))))(tf.tensor(table, [8, 5]));
    }, 1e-6);
    await expectSameOnBoth(() => {
      const idx = tf.tensor1d([4, 0, 4], 'int32');
      return tf.grad((e: tf.Tensor) => tf.sum(tf.sin(tf.gather(e, idx, 1))))(tf.tensor(table, [8, 5]));
    }, 1e-6);
  });
});

describe('matMul by a reshaped view of weights already used under another shape', () => {
  // Stock tfjs-wasm 4.22 reuses the XNNPACK operator cached for the first shape: out of bounds.
  const weights = randomData(8 * 64, 'float32');
  const x = randomData(2 * 8, 'float32');
  const y = randomData(2 * 64, 'float32');
  it('gives the cpu result instead of crashing', async () => {
    await expectSameOnBoth(() => {
      const a = tf.tensor(weights, [8, 64]);
      const first = tf.matMul(tf.tensor(x, [2, 8]) as tf.Tensor2D, a as tf.Tensor2D);
      const second = tf.matMul(tf.tensor(y, [2, 64]) as tf.Tensor2D, tf.reshape(a, [64, 8]) as tf.Tensor2D);
      const third = tf.matMul(tf.tensor(x, [2, 8]) as tf.Tensor2D, a as tf.Tensor2D); // back to the first shape
      return [first, second, third];
    }, 1e-4);
  });
  it('also through the fused matMul, and without leaking tensors', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor(weights, [8, 64]);
    tf.dispose(tf.fused.matMul({ a: tf.tensor(x, [2, 8]) as tf.Tensor2D, b: a as tf.Tensor2D }));
    const before = tf.memory().numTensors;
    const out = tf.tidy(() =>
      tf.fused.matMul({ a: tf.tensor(y, [2, 64]) as tf.Tensor2D, b: tf.reshape(a, [64, 8]) as tf.Tensor2D, activation: 'relu' }),
    );
    expect(out.shape).toEqual([2, 8]);
    expect(tf.memory().numTensors).toBe(before + 1);
    const expected = await runOn('cpu', () =>
      tf.relu(tf.matMul(tf.tensor(y, [2, 64]) as tf.Tensor2D, tf.tensor(weights, [64, 8]) as tf.Tensor2D)),
    );
    await tf.setBackend('wasm');
    Array.from(out.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[0].values[i], 4));
    tf.dispose([a, out]);
  });
});
