// The engine worker's training side, with the run in-process instead of a nested worker:
// pending state in IndexedDB through a run, cancel, resume, estimates from measured speed,
// and a dataset deleted mid-run leaving no model behind.
import 'fake-indexeddb/auto';
import { beforeAll, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tinyDataset } from '../engine/fixtures';
import { EngineError } from '../../src/engine/types';
import type { RunProgress, TrainRequest } from '../../workers/api';
import { store } from '../../workers/data-service';
import { deleteDataset, modelService, useTrainRunner } from '../../workers/model-service';
import { readPending } from '../../workers/pending';
import { runTraining } from '../../workers/train-run';

const dataset = tinyDataset({ users: 8, seed: 2 });

function request(overrides: Partial<TrainRequest> = {}): TrainRequest {
  return {
    datasetId: dataset.id,
    backbone: 'sasrec',
    methods: ['base', 'duet-swa'],
    model: { dim: 4, heads: 2 },
    duet: { swa: { generators: 2, temperature: 1 } },
    train: { epochs: 2, batchSize: 16 },
    resume: false,
    ...overrides,
  };
}

beforeAll(async () => {
  await modelService.setBackend('cpu');
  useTrainRunner(() => {
    const abort = new AbortController();
    let stop!: (e: unknown) => void;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    stopped.catch(() => undefined);
    return {
      train: (req, _backend, onProgress, onSaved) =>
        Promise.race([runTraining(req, { signal: abort.signal, onProgress, onSaved }), stopped]),
      cancel: () => abort.abort(),
      close: () => stop(new EngineError('cancelled', 'Training was cancelled.')),
    };
  });
  await (await store()).saveDataset(dataset);
});

it('estimates from a stated default before any run, then from the speed measured here', async () => {
  const before = await modelService.estimateTraining(request());
  expect(before.basis).toBe('default');
  expect(before.samplesPerEpoch).toBe(dataset.train.count);
  expect(before.seconds).toBeGreaterThan(0);

  const progress: RunProgress[] = [];
  const pendingDuring: (string | undefined)[] = [];
  const metrics = await modelService.train(request(), (p) => {
    progress.push(p);
    if (p.validUauc !== undefined) void readPending().then((s) => pendingDuring.push(s?.reason));
  });
  expect(Object.keys(metrics)).toEqual(['base', 'duet-swa']);
  expect(progress.at(-1)?.overallFraction).toBe(1);
  expect(progress.every((p, i) => i === 0 || p.overallFraction >= progress[i - 1].overallFraction)).toBe(true);
  expect(pendingDuring.length).toBeGreaterThan(0);
  expect(pendingDuring.every((r) => r === 'interrupted')).toBe(true);
  // Completed: nothing pending, both models listed from their metadata.
  expect(await modelService.pendingTraining()).toBeNull();
  const models = await modelService.listModels(dataset.id);
  expect(models.map((m) => [m.method, m.source, m.epochsDone])).toEqual([
    ['base', 'trained-here', 2],
    ['duet-swa', 'trained-here', 2],
  ]);

  const after = await modelService.estimateTraining(request());
  expect(after.basis).toBe('measured');
  // Resuming finished checkpoints leaves nothing to train.
  expect((await modelService.estimateTraining(request({ resume: true }))).seconds).toBe(0);
});

it('cancel means cancelled: the run stops, the saved epoch stays, and Resume continues from it', async () => {
  const run = modelService.train(request({ methods: ['duet'] }), (p) => {
    if (p.validUauc !== undefined && p.epoch === 1) void modelService.cancelTraining();
  });
  await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  const pending = await modelService.pendingTraining();
  expect(pending?.reason).toBe('cancelled');
  expect(pending?.request.resume).toBe(true);
  expect(pending?.saved).toEqual([{ method: 'duet', epochsDone: 1, epochs: 2 }]);

  const epochs: number[] = [];
  await modelService.train(pending!.request, (p) => {
    if (p.validUauc !== undefined) epochs.push(p.epoch);
  });
  expect(epochs).toEqual([2]);
  expect(await modelService.pendingTraining()).toBeNull();
});

it('a failed run is remembered as failed; discarding forgets it', async () => {
  await expect(
    modelService.train(request({ methods: ['base'], train: { epochs: 1, batchSize: 16, learningRate: 1e9 } }), () => undefined),
  ).rejects.toMatchObject({ code: 'nan-loss' });
  expect((await modelService.pendingTraining())?.reason).toBe('failed');
  await modelService.discardPendingTraining();
  expect(await modelService.pendingTraining()).toBeNull();
});

it('deleting the dataset during training stops the run with a sentence and leaves no model for it', async () => {
  const other = tinyDataset({ users: 8, seed: 5 });
  await (await store()).saveDataset(other);
  let deleting: Promise<void> | undefined;
  const run = modelService.train(request({ datasetId: other.id, methods: ['base', 'duet'] }), (p) => {
    if (p.validUauc !== undefined && !deleting) deleting = deleteDataset(other.id);
  });
  await expect(run).rejects.toMatchObject({ code: 'dataset-deleted', message: expect.stringMatching(/deleted during training/) });
  await deleting;
  expect(await (await store()).listModels(other.id)).toEqual([]);
  expect(await (await store()).loadModel(`${other.id}/sasrec/base`)).toBeUndefined();
  expect(await modelService.pendingTraining()).toBeNull();
});

it('a new run replaces a running one, and the stored pending state then describes the new run', async () => {
  let second: Promise<unknown> | undefined;
  const seen: { reason?: string; methods?: string[] }[] = [];
  const first = modelService.train(request({ methods: ['base'], train: { epochs: 3, batchSize: 16 } }), () => {
    second ??= modelService.train(request({ methods: ['duet'], train: { epochs: 2, batchSize: 16 } }), (p) => {
      if (p.validUauc !== undefined) void readPending().then((s) => seen.push({ reason: s?.reason, methods: s?.request.methods }));
    });
  });
  await expect(first).rejects.toMatchObject({ code: 'cancelled' });
  await second;
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((s) => s.reason === 'interrupted' && s.methods?.join() === 'duet')).toBe(true);
  expect(await modelService.pendingTraining()).toBeNull();
});

it('a run on a sample of the users says so in its models, and Resume trains on the same sample', async () => {
  const sampled = request({ methods: ['base'], maxUsers: 4, train: { epochs: 2, batchSize: 8 } });
  const estimate = await modelService.estimateTraining(sampled);
  expect(estimate.samplesPerEpoch).toBe(Math.round(dataset.train.count / 2));

  const steps: number[] = [];
  const run = modelService.train(sampled, (p) => {
    steps.push(p.stepsPerEpoch);
    if (p.validUauc !== undefined && p.epoch === 1) void modelService.cancelTraining();
  });
  await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  // Fewer steps than the whole dataset's: the run saw the sample only.
  expect(Math.max(...steps)).toBeLessThan(Math.ceil(dataset.train.count / 8));
  const pending = await modelService.pendingTraining();
  expect(pending?.request.maxUsers).toBe(4);

  const resumedSteps: number[] = [];
  await modelService.train(pending!.request, (p) => resumedSteps.push(p.stepsPerEpoch));
  expect(new Set(resumedSteps)).toEqual(new Set(steps));
  const base = (await modelService.listModels(dataset.id)).find((m) => m.method === 'base');
  expect(base?.sample).toMatch(
    /^Training on a seeded sample of 4 of 8 users \(\d+ of \d+ training positives\); the catalog is unchanged\.$/,
  );
  // The note travels with the model file.
  const file = await modelService.exportModel(dataset.id, 'sasrec', 'base');
  expect((await modelService.importModel(file, dataset.id)).sample).toBe(base?.sample);

  // A run on every user clears it.
  await modelService.train(request({ methods: ['base'], train: { epochs: 1, batchSize: 16 } }), () => undefined);
  expect((await modelService.listModels(dataset.id)).find((m) => m.method === 'base')?.sample).toBeUndefined();
});
