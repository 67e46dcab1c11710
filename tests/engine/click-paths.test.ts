// The DUET click's one-row shortcuts on wasm (session.ts adaptAndRank): the one-sequence
// kernels (kernels/click-row.ts), and with them off the one-row GRU input, read-position pick
// and dense rows. Checked against
// the same model scoring the device row in a batch of two (the general paths, nothing cached),
// before and after the weights change, and for leaks.
import { afterEach, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { generatedDenseAvailable } from '../../src/engine/kernels/generated';
import { clickRowApplies, setClickRowEnabled } from '../../src/engine/kernels/click-row';
import { createModel, disposeModel } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig } from '../../src/engine/defaults';
import { adaptAndRank, sequenceRow, topK } from '../../src/engine/session';
import { scoreCatalog } from '../../src/engine/evaluate';
import { emptySampleSet } from '../../src/data/samples';
import type { RecModel } from '../../src/engine/model';

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(() => setClickRowEnabled(true));

const numItems = 300;

/** Top-10 of the device row scored as both rows of a batch of two (B = 2: no one-row path). */
async function batchedTop(model: RecModel, sequence: Int32Array) {
  const L = model.config.seqLen;
  const row = sequenceRow(sequence, L);
  const samples = { ...emptySampleSet(2, L) };
  samples.clickSeq.set(row, 0);
  samples.clickSeq.set(row, L);
  samples.triggerSeq.set(row, 0);
  samples.triggerSeq.set(row, L);
  const [scores] = await scoreCatalog(model, samples, [0, 1]);
  return topK(scores, 10, new Set());
}

function session(length: number, seed: number): Int32Array {
  return Int32Array.from({ length }, (_, i) => 1 + ((i * 37 + seed * 101) % numItems));
}

it.each([
  ['sasrec', 'duet', true],
  ['sasrec', 'duet-swa', true],
  ['gru4rec', 'duet', true],
  ['sasrec', 'duet', false],
  ['sasrec', 'duet-swa', false],
  ['gru4rec', 'duet', false],
] as const)(
  '%s %s, one-sequence kernels %s: clicks give the batched top-10, also after the weights change, and leak nothing',
  async (backbone, method, clickRow) => {
    expect(generatedDenseAvailable()).toBe(true);
    setClickRowEnabled(clickRow);
    expect(clickRowApplies(1)).toBe(clickRow);
    const tensorsAtStart = tf.memory().numTensors;
    const config = defaultModelConfig(backbone, numItems, { dim: 16, seqLen: 12, heads: 2 });
    const model = createModel(config, method, defaultDuetConfig(), 3);
    const check = async () => {
      // lengths below, at and above seqLen: GRU steps < L and = L, read positions 0..L-1
      for (const [length, seed] of [
        [1, 1],
        [5, 2],
        [12, 3],
        [20, 4],
      ]) {
        const sequence = session(length, seed);
        const { top } = await adaptAndRank(model, sequence, 10);
        const expected = await batchedTop(model, sequence);
        expect(top.map((r) => r.itemId)).toEqual(expected.map((r) => r.itemId));
        top.forEach((r, i) => expect(Math.abs(r.score - expected[i].score)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected[i].score))));
      }
    };
    await check();
    const tensorsBetweenClicks = tf.memory().numTensors;
    await adaptAndRank(model, session(7, 5), 10);
    expect(tf.memory().numTensors).toBe(tensorsBetweenClicks); // a click keeps nothing

    // New weights for the generated projections: the clicks follow them.
    const before = (await adaptAndRank(model, session(9, 6), 10)).top;
    const weights = await model.params.read();
    for (const w of weights)
      if (w.name.startsWith('gen0.layer')) for (let i = 0; i < w.data.length; i++) w.data[i] = Math.sin(i * 0.37 + w.data[i]);
    model.params.write(weights);
    model.catalog?.dispose();
    model.catalog = undefined;
    const after = (await adaptAndRank(model, session(9, 6), 10)).top;
    expect(after.map((r) => r.score)).not.toEqual(before.map((r) => r.score));
    await check();

    disposeModel(model);
    expect(tf.memory().numTensors).toBe(tensorsAtStart);
  },
);
