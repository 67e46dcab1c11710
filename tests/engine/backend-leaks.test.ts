// tfjs leak check: after a warm-up (Adam's moments, the cached catalog towers), a training step,
// a DUET click and a fine-tune click must leave tf.memory() exactly where it was. On wasm, so our
// replacement kernels are covered too.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { disposeBatch, gatherRows, toBatch } from '../../src/engine/batch';
import { createModel, disposeModel } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig } from '../../src/engine/defaults';
import { createOptimizer, trainStep } from '../../src/engine/step';
import { finetuneOnSession, generateClassifier, rankCatalog } from '../../src/engine/session';
import { syntheticSamples, syntheticSession } from '../../bench/synthetic';

const config = defaultModelConfig('sasrec', 40, { dim: 8, seqLen: 6, heads: 2 });
const duet = defaultDuetConfig();
const samples = syntheticSamples(16, config.numItems, config.seqLen, 3);
const session = syntheticSession(5, config.numItems, 4);

beforeAll(async () => {
  await initBackend('wasm');
});

function memory() {
  const m = tf.memory();
  return { bytes: m.numBytes, tensors: m.numTensors };
}

describe('no tensor leaks on wasm', () => {
  for (const method of ['base', 'duet'] as const) {
    it(`a ${method} training step`, async () => {
      const model = createModel(config, method, duet, 1);
      const optimizer = createOptimizer(model, 1e-3);
      const step = async () => {
        const batch = toBatch(gatherRows(samples, [0, 1, 2, 3, 4, 5, 6, 7], false));
        const loss = trainStep(model, optimizer, batch);
        await loss.data();
        loss.dispose();
        disposeBatch(batch);
      };
      await step();
      const before = memory();
      await step();
      expect(memory()).toEqual(before);
      optimizer.dispose();
      disposeModel(model);
    });
  }

  it('a DUET click (generate the classifier, rank the catalog)', async () => {
    const model = createModel(config, 'duet', duet, 1);
    const click = async (length: number) => {
      await generateClassifier(model, session.subarray(0, length));
      await rankCatalog(model, session.subarray(0, length), 5);
    };
    await click(2);
    const before = memory();
    await click(3);
    await click(4);
    expect(memory()).toEqual(before);
    disposeModel(model);
  });

  it('a fine-tune click (copy, 3 steps, rank, dispose)', async () => {
    const base = createModel(config, 'base', duet, 1);
    const click = async (length: number) => {
      const tuned = finetuneOnSession(base, session.subarray(0, length), 3, 7);
      await rankCatalog(tuned, session.subarray(0, length), 5);
      disposeModel(tuned);
    };
    await click(2);
    const before = memory();
    await click(4);
    expect(memory()).toEqual(before);
    disposeModel(base);
  });
});
