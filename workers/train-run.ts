// One training run as the training worker does it: load the dataset from IndexedDB, train the
// requested methods through the engine's orchestration, store every epoch's checkpoint.
import { subsampleUsers } from '../src/data/subsample';
import { DataError } from '../src/data/types';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../src/engine/defaults';
import { trainMethods } from '../src/engine/orchestrate';
import * as tf from '@tensorflow/tfjs-core';
import { EngineError, type BackendName, type Metrics } from '../src/engine/types';
import type { RunProgress, TrainableMethod, TrainRequest } from './api';
import { loadDataset } from './data-service';
import { modelKey, saveModel, storedCheckpoint, withSampleNote } from './models';

export interface TrainRunHooks {
  signal: AbortSignal;
  onProgress: (p: RunProgress) => void;
  /** A checkpoint of `method` with `epochsDone` epochs is stored (`final`: the finished model). */
  onSaved: (method: TrainableMethod, epochsDone: number, final: boolean) => void;
}

export interface TrainRunResult {
  metrics: Record<string, Metrics>;
  /** Measured training speed per method (samples/s), for later estimates... */
  samplesPerSecond: Partial<Record<TrainableMethod, number>>;
  /** ...on this backend (the one the run really used). */
  backend: BackendName;
}

export const datasetDeletedMessage = 'The dataset was deleted during training, so the run stopped and nothing was saved for it.';

export async function runTraining(req: TrainRequest, hooks: TrainRunHooks): Promise<TrainRunResult> {
  const whole = await loadDataset(req.datasetId);
  // A stated sample of the users when asked for; seeded by the dataset, so a resumed run gets the same one.
  const { dataset, note } = req.maxUsers ? subsampleUsers(whole, req.maxUsers) : { dataset: whole, note: '' };
  const key = (method: TrainableMethod) => modelKey(req.datasetId, req.backbone, method);
  try {
    const { runs } = await trainMethods(dataset, {
      backbone: req.backbone,
      methods: req.methods,
      model: defaultModelConfig(req.backbone, dataset.numItems, { ...req.model, seqLen: dataset.options.seqLen }),
      duet: defaultDuetConfig(req.duet),
      train: defaultTrainConfig(req.train),
      where: 'browser',
      signal: hooks.signal,
      resumeFrom: req.resume ? (method) => storedCheckpoint(key(method)) : undefined,
      save: async (method, checkpoint, final) => {
        await saveModel(key(method), withSampleNote(checkpoint, note), 'trained-here');
        hooks.onSaved(method, checkpoint.epochsDone, final);
      },
      onProgress: hooks.onProgress,
    });
    return {
      metrics: Object.fromEntries(runs.map((r) => [r.method, r.metrics])),
      samplesPerSecond: Object.fromEntries(runs.map((r) => [r.method, r.samplesPerSecond])),
      backend: tf.getBackend() as BackendName,
    };
  } catch (error) {
    if (error instanceof DataError && error.code === 'not-found') throw new EngineError('dataset-deleted', datasetDeletedMessage);
    throw error;
  }
}
