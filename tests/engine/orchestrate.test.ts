// The one orchestration: every method trained and saved, whole-run progress that never goes
// back, cancel honoured before a save, a failing save stops the run, the fine-tune click.
import { beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { tinyDataset } from './fixtures';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../../src/engine/defaults';
import {
  evaluateMethods,
  finetuneAndRank,
  RunMeter,
  selectedEpoch,
  trainMethods,
  type RunProgress,
  type TrainMethodsOptions,
} from '../../src/engine/orchestrate';
import { createModel, disposeModel } from '../../src/engine/model';
import { deserializeModel } from '../../src/engine/serialize';
import { finetuneOnSession, rankCatalog } from '../../src/engine/session';
import { EngineError, type SerializedModel } from '../../src/engine/types';

const dataset = tinyDataset({ users: 8 });
const model = defaultModelConfig('sasrec', dataset.numItems, { dim: 4, seqLen: 5, heads: 2 });

function options(overrides: Partial<TrainMethodsOptions> = {}): TrainMethodsOptions {
  return {
    backbone: 'sasrec',
    methods: ['base', 'duet', 'duet-swa'],
    model,
    duet: defaultDuetConfig({ swa: { generators: 2 } }),
    train: defaultTrainConfig({ epochs: 2, batchSize: 16, seed: 5 }),
    where: 'cli',
    ...overrides,
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('trains every method, saves each epoch and the final model, and reports whole-run progress', async () => {
  const saves: { method: string; epochsDone: number; final: boolean }[] = [];
  const progress: RunProgress[] = [];
  const tensorsBefore = tf.memory().numTensors;
  const { runs, finetune } = await trainMethods(
    dataset,
    options({
      save: async (method, c, final) => void saves.push({ method, epochsDone: c.epochsDone, final }),
      onProgress: (p) => progress.push(p),
      finetune: true,
    }),
  );
  expect(runs.map((r) => r.method)).toEqual(['base', 'duet', 'duet-swa']);
  for (const r of runs) {
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(r.selectedEpoch).toBe(selectedEpoch(r.history));
    expect([1, 2]).toContain(r.selectedEpoch);
    expect(r.metrics.uauc).toBeGreaterThan(0);
    expect(r.samplesPerSecond).toBeGreaterThan(0);
  }
  expect(finetune?.uauc).toBeGreaterThan(0);
  expect(saves).toEqual(
    ['base', 'duet', 'duet-swa'].flatMap((method) => [
      { method, epochsDone: 1, final: false },
      { method, epochsDone: 2, final: false },
      { method, epochsDone: 2, final: true },
    ]),
  );
  const fractions = progress.map((p) => p.overallFraction);
  expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
  expect(fractions.at(-1)).toBe(1);
  expect(new Set(progress.map((p) => p.methodIndex))).toEqual(new Set([0, 1, 2]));
  expect(progress.every((p) => p.methodCount === 3)).toBe(true);
  // Every trained model is disposed.
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

it('resumes a method from its checkpoint and starts its progress where it left off', async () => {
  let epoch1: SerializedModel | undefined;
  await expect(
    trainMethods(
      dataset,
      options({
        methods: ['duet'],
        save: async (_m, c) => {
          epoch1 = c;
          throw new EngineError('cancelled', 'stop after epoch 1');
        },
      }),
    ),
  ).rejects.toThrow('stop after epoch 1');
  expect(epoch1?.epochsDone).toBe(1);
  const progress: RunProgress[] = [];
  const { runs } = await trainMethods(
    dataset,
    options({ methods: ['duet'], resumeFrom: async () => epoch1, onProgress: (p) => progress.push(p) }),
  );
  expect(runs[0].history.map((h) => h.epoch)).toEqual([2]);
  expect(progress[0].overallFraction).toBeGreaterThan(0.5);
});

it('a cancel during storing is honoured: that checkpoint is kept, the run stops, the final model is not saved', async () => {
  const abort = new AbortController();
  const saved: boolean[] = [];
  const run = trainMethods(
    dataset,
    options({
      methods: ['base'],
      signal: abort.signal,
      save: async (_m, c, final) => {
        saved.push(final);
        if (c.epochsDone === 2) abort.abort(); // pressed while the last epoch's checkpoint is stored
      },
    }),
  );
  await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  expect(saved).toEqual([false, false]);
});

it('refuses a dataset with no training samples with a sentence', async () => {
  const empty = { ...dataset, train: { ...dataset.train, count: 0 } };
  await expect(trainMethods(empty, options())).rejects.toMatchObject({
    code: 'no-samples',
    message: expect.stringMatching(/no training samples/),
  });
});

it('evaluates stored models, with the fine-tune baseline from Base on request', async () => {
  const checkpoints = new Map<string, SerializedModel>();
  await trainMethods(
    dataset,
    options({
      methods: ['base', 'duet'],
      train: defaultTrainConfig({ epochs: 1, batchSize: 16 }),
      save: async (m, c) => void checkpoints.set(m, c),
    }),
  );
  const loaded = new Map<string, ReturnType<typeof deserializeModel>>();
  const load = async (m: 'base' | 'duet' | 'duet-swa') => {
    const mdl = deserializeModel(checkpoints.get(m)!);
    loaded.set(m, mdl);
    return mdl;
  };
  const results = await evaluateMethods(dataset, ['base', 'duet'], load, { finetune: true, train: defaultTrainConfig({ batchSize: 16 }) });
  expect(Object.keys(results).sort()).toEqual(['base', 'duet', 'finetune']);
  expect(results.finetune.uauc).not.toEqual(results.base.uauc);
  for (const m of loaded.values()) disposeModel(m);
});

it('the fine-tune click ranks what a tuned copy ranks and leaves no tensors behind', async () => {
  const base = createModel(model, 'base', defaultDuetConfig(), 3);
  const sequence = Int32Array.from([1, 2, 3, 2]);
  const before = tf.memory().numTensors;
  const top = await finetuneAndRank(base, sequence, { steps: 3, seed: 9, k: 4, exclude: Int32Array.from([1]) });
  expect(tf.memory().numTensors).toBe(before);
  const tuned = finetuneOnSession(base, sequence, 3, 9);
  expect(top).toEqual(await rankCatalog(tuned, sequence, 4, Int32Array.from([1])));
  expect(top.map((r) => r.itemId)).not.toContain(1);
  disposeModel(tuned);
  disposeModel(base);
});

it('the run meter never goes back and gives an ETA once it has measured some speed', () => {
  const meter = new RunMeter(2);
  const p = (epoch: number, step: number) => ({
    phase: 'base' as const,
    epoch,
    epochs: 2,
    step,
    stepsPerEpoch: 4,
    loss: 1,
    samplesPerSecond: 1,
    etaSeconds: 0,
  });
  expect(meter.update(0, p(1, 2)).overallFraction).toBeCloseTo(0.125);
  expect(meter.update(0, p(2, 4)).overallFraction).toBeCloseTo(0.5);
  expect(meter.update(1, p(1, 0)).overallFraction).toBeCloseTo(0.5);
  // A late report of an earlier step does not move it back.
  expect(meter.update(0, p(1, 1)).overallFraction).toBeCloseTo(0.5);
  expect(meter.update(1, p(2, 4)).overallFraction).toBe(1);
});
