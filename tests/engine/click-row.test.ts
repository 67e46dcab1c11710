// kernels/click-row.ts: one sequence outside a gradient (a device click): SASRec's history and
// last encoder layer, the GRU, and DUET's generator head with the generated classifier, one
// launch each, against the same model with the kernels off (the ops), for padding masked or not, one
// or two layers, read positions 0..L-1, and widths that leave scalar tails (D = 10, dh = 5).
// Every weight is random (layer norm gains and biases too), so a weight the kernel read
// wrongly or not at all changes the result.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { clickRowApplies, setClickRowEnabled } from '../../src/engine/kernels/click-row';
import { createModel, disposeModel, userVectors, type RecModel } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig } from '../../src/engine/defaults';
import { disposeBatch, gatherRows, toBatch } from '../../src/engine/batch';
import { adaptAndRank, sequenceRow } from '../../src/engine/session';
import { emptySampleSet } from '../../src/data/samples';
import { createRng } from '../../src/random';
import { maxAbs } from './fused-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(() => setClickRowEnabled(true));

const numItems = 50;

async function randomWeights(model: RecModel, seed: number): Promise<void> {
  const rng = createRng(seed);
  const weights = await model.params.read();
  for (const w of weights) for (let i = 0; i < w.data.length; i++) w.data[i] = (rng() * 2 - 1) * 0.6;
  model.params.write(weights);
}

/** The user vector of one device sequence and the kernels that computed it. */
async function userVectorOf(model: RecModel, sequence: Int32Array): Promise<{ values: Float32Array; kernels: string[] }> {
  const row = sequenceRow(sequence, model.config.seqLen);
  const batch = toBatch(gatherRows({ ...emptySampleSet(1, model.config.seqLen), clickSeq: row, triggerSeq: row }, [0], false));
  let u: tf.Tensor | undefined;
  const info = await tf.profile(() => {
    u = tf.tidy(() => userVectors(model, batch));
    return u;
  });
  const values = (await u!.data()) as Float32Array;
  u!.dispose();
  disposeBatch(batch);
  return { values, kernels: info.kernels.map((k) => k.name) };
}

describe.each([
  { dim: 32, seqLen: 30, heads: 4, layers: 1, maskPadding: true }, // the default model
  { dim: 32, seqLen: 30, heads: 4, layers: 1, maskPadding: false },
  { dim: 10, seqLen: 7, heads: 2, layers: 2, maskPadding: true }, // dh = 5: vector body and scalar tails
  { dim: 12, seqLen: 5, heads: 3, layers: 2, maskPadding: false },
])('SASRec dim $dim, L $seqLen, heads $heads, layers $layers, maskPadding $maskPadding', (shape) => {
  it('one sequence: HistoryRow and SasrecReadRow give the ops’ user vector, and leak nothing', async () => {
    const model = createModel(defaultModelConfig('sasrec', numItems, shape), 'base', defaultDuetConfig(), 5);
    await randomWeights(model, shape.dim * 7 + shape.seqLen);
    const tensorsBefore = tf.memory().numTensors;
    // lengths 1 .. beyond L: read positions 0 .. L-1, with and without padding
    for (const length of [1, 2, shape.seqLen - 1, shape.seqLen, shape.seqLen + 3]) {
      const sequence = Int32Array.from({ length }, (_, i) => 1 + ((i * 13 + length * 7) % numItems));
      const fast = await userVectorOf(model, sequence);
      expect(fast.kernels).toContain('HistoryRow');
      expect(fast.kernels).toContain('SasrecReadRow');
      expect(fast.kernels).not.toContain('AttendRowForward');
      expect(fast.kernels).not.toContain('GatherV2');
      setClickRowEnabled(false);
      const ops = await userVectorOf(model, sequence);
      setClickRowEnabled(true);
      expect(ops.kernels).not.toContain('HistoryRow');
      expect(ops.kernels).not.toContain('SasrecReadRow');
      expect(maxAbs(fast.values, ops.values)).toBeLessThan(2e-5 * Math.max(1, ...ops.values.map(Math.abs)));
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    disposeModel(model);
  });
});

it('applies to one row outside a gradient only', () => {
  expect(clickRowApplies(1)).toBe(true);
  expect(clickRowApplies(2)).toBe(false);
  let insideGradient: boolean | undefined;
  const x = tf.scalar(1);
  const dx = tf.grad((v: tf.Tensor) => {
    insideGradient = clickRowApplies(1);
    return tf.mul(v, 2);
  })(x);
  expect(insideGradient).toBe(false);
  tf.dispose([x, dx]);
});

describe.each([
  { backbone: 'sasrec', method: 'duet', dim: 32, seqLen: 30, heads: 4 },
  { backbone: 'sasrec', method: 'duet-swa', dim: 10, seqLen: 7, heads: 2 },
  { backbone: 'gru4rec', method: 'duet', dim: 12, seqLen: 9, heads: 2 },
] as const)('DUET $method on $backbone, dim $dim', ({ backbone, method, ...shape }) => {
  it('a click: GruRow and GeneratedClickRow give the ops’ top-10, scores and generated layers, and leaks nothing', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const model = createModel(defaultModelConfig(backbone, numItems, shape), method, defaultDuetConfig(), 9);
    await randomWeights(model, shape.dim + 3);
    for (const length of [1, 4, shape.seqLen + 2]) {
      const sequence = Int32Array.from({ length }, (_, i) => 1 + ((i * 17 + length) % numItems));
      let fast: Awaited<ReturnType<typeof adaptAndRank>> | undefined;
      const info = await tf.profile(async () => {
        fast = await adaptAndRank(model, sequence, 10);
      });
      const names = info.kernels.map((k) => k.name);
      expect(names).toContain('GeneratedClickRow');
      expect(names).toContain('GruRow'); // the generator's GRU (and GRU4Rec's) in one launch
      expect(names).not.toContain('GruForward');
      setClickRowEnabled(false);
      const ops = await adaptAndRank(model, sequence, 10);
      setClickRowEnabled(true);
      expect(fast!.top.map((r) => r.itemId)).toEqual(ops.top.map((r) => r.itemId));
      const scale = (xs: Float32Array) => Math.max(1, ...xs.map(Math.abs));
      const scores = Float32Array.from(ops.top, (r) => r.score);
      expect(
        maxAbs(
          Float32Array.from(fast!.top, (r) => r.score),
          scores,
        ),
      ).toBeLessThan(2e-5 * scale(scores));
      expect(maxAbs(fast!.parameters.layer1, ops.parameters.layer1)).toBeLessThan(2e-5 * scale(ops.parameters.layer1));
      expect(maxAbs(fast!.parameters.layer2, ops.parameters.layer2)).toBeLessThan(2e-5 * scale(ops.parameters.layer2));
    }
    disposeModel(model); // with it the catalog towers and the derived cache the ops path built
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
