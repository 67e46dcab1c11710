// Models through src/engine: backend, training (in a worker of its own), evaluation and the
// device session. This worker keeps answering clicks while a run trains elsewhere.
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import { activeBackend, initBackend, onDeviceLost, setWasmAssetPaths } from '../src/engine/backend';
import { wasmAssetPaths } from '../src/engine/backend-assets.browser';
import { defaultTrainConfig } from '../src/engine/defaults';
import { evaluateMethods, trainableMethods } from '../src/engine/orchestrate';
import { decodeModelFile, encodeModelFile, validateModel } from '../src/engine/serialize';
import { EngineError, type BackendName } from '../src/engine/types';
import type { EngineApi, ModelInfo, PendingTraining, RunProgress, TrainableMethod, TrainRequest } from './api';
import { dataService, loadDataset, store, type DataMethods } from './data-service';
import { toFailure } from './failure';
import { forgetAll, forgetDataset, listModels, loadModel, modelKey, sampleNote, saveModel, storedCheckpoint } from './models';
import { clearPending, clearPendingFor, defaultSamplesPerSecond, measuredSpeed, readPending, recordSpeeds, writePending } from './pending';
import { rankSession } from './session';
import type { TrainRunResult } from './train-run';
import type { TrainWorkerApi } from './train.worker';

type ModelMethods = Omit<EngineApi, keyof DataMethods>;

setWasmAssetPaths(wasmAssetPaths);

// A lost GPU (driver reset, a software adapter giving up) falls back to WASM with a message.
// The training worker has its own device: when it loses it, the run stops with a message and
// later runs train on WASM.
onDeviceLost((info) => {
  console.warn('GPU device lost', info);
  forgetAll();
  trainBackend = 'wasm';
  starting = initBackend('wasm', { wasmPaths: wasmAssetPaths });
});

let starting: Promise<unknown> | undefined;
/** The backend, started on first need ('auto') unless setBackend chose one. */
export async function ready(): Promise<void> {
  starting ??= initBackend('auto', { wasmPaths: wasmAssetPaths });
  await starting;
}

/** One training run's worker, as the engine worker drives it. */
export interface TrainRunner {
  train(
    req: TrainRequest,
    backend: BackendName,
    onProgress: (p: RunProgress) => void,
    onSaved: (method: TrainableMethod, epochsDone: number, final: boolean) => void,
  ): Promise<TrainRunResult>;
  cancel(): void;
  /** Ends the run now (a stuck step included); a pending train() rejects with 'cancelled'. */
  close(): void;
}

function workerRunner(): TrainRunner {
  const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'duet-train' });
  const remote = Comlink.wrap<TrainWorkerApi>(worker);
  let stop!: (error: unknown) => void;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => undefined);
  worker.addEventListener('error', (e) =>
    stop(new EngineError('backend', `The training worker failed to start (${e.message || 'unknown error'}).`)),
  );
  return {
    train: (req, backend, onProgress, onSaved) =>
      Promise.race([remote.train(req, backend, Comlink.proxy(onProgress), Comlink.proxy(onSaved)), stopped]),
    cancel: () => void remote.cancel().catch(() => undefined),
    close: () => {
      stop(new EngineError('cancelled', 'Training was cancelled.'));
      worker.terminate();
    },
  };
}

let startRunner: () => TrainRunner = workerRunner;
/** Tests run training in-process instead of in a nested worker. */
export function useTrainRunner(start: () => TrainRunner): void {
  startRunner = start;
}

/** Where training runs: the session's backend, or WASM after the GPU was lost there. */
let trainBackend: BackendName | undefined;

interface CurrentRun {
  datasetId: string;
  runner: TrainRunner;
  cancelled: boolean;
  datasetDeleted: boolean;
  /** Settles once the run's train() call has finished everything, its pending-state write included. */
  done: Promise<void>;
}
let current: CurrentRun | undefined;

/** How long a cancelled run may take to stop by itself before its worker is closed. */
const cancelGraceMs = 1500;

function stop(run: CurrentRun): void {
  run.runner.cancel();
  setTimeout(() => run.runner.close(), cancelGraceMs);
}

/**
 * Deletes a dataset with its models; a run training on it stops first, and the store refuses
 * any save for it that was already under way, so no model outlives its dataset.
 */
export async function deleteDataset(datasetId: string): Promise<void> {
  if (current?.datasetId === datasetId) {
    current.datasetDeleted = true;
    stop(current);
  }
  await clearPendingFor(datasetId);
  await dataService.deleteDataset(datasetId);
  forgetDataset(datasetId);
}

async function savedEpochs(req: TrainRequest): Promise<Map<TrainableMethod, number>> {
  const saved = new Map<TrainableMethod, number>();
  if (!req.resume) return saved;
  for (const m of await (await store()).listModels(req.datasetId)) {
    if (m.backbone === req.backbone) saved.set(m.method, m.epochsDone);
  }
  return saved;
}

let evalAbort: AbortController | undefined;

export const modelService: ModelMethods = {
  async backend() {
    await ready();
    const b = activeBackend()!;
    return { name: b.name, software: b.software, threads: b.threads };
  },

  async setBackend(name) {
    const start = initBackend(name, { wasmPaths: wasmAssetPaths });
    starting = start.catch(() => initBackend('auto', { wasmPaths: wasmAssetPaths }));
    const b = await start;
    trainBackend = b.name;
    return { name: b.name, software: b.software };
  },

  async train(req, onProgress) {
    await ready();
    if (current) {
      stop(current);
      await current.done;
    }
    const backend = trainBackend ?? activeBackend()!.name;
    const epochs = defaultTrainConfig(req.train).epochs;
    const saved = await savedEpochs(req);
    const pending: PendingTraining = {
      request: { ...req, resume: true },
      saved: req.methods.map((method) => ({ method, epochsDone: saved.get(method) ?? 0, epochs })),
      reason: 'interrupted',
      updatedAt: Date.now(),
    };
    await writePending(pending);
    const runner = startRunner();
    let finished!: () => void;
    const run: CurrentRun = {
      datasetId: req.datasetId,
      runner,
      cancelled: false,
      datasetDeleted: false,
      done: new Promise<void>((resolve) => (finished = resolve)),
    };
    current = run;
    const onSaved = (method: TrainableMethod, epochsDone: number) => {
      if (run.datasetDeleted) return;
      pending.saved = pending.saved.map((s) => (s.method === method ? { ...s, epochsDone } : s));
      void writePending(pending);
    };
    const training = runner.train(req, backend, (p) => void onProgress(p), onSaved);
    try {
      const result = await training;
      if (run.cancelled) throw new EngineError('cancelled', 'Training was cancelled.');
      await clearPending();
      await recordSpeeds(result.backend, req.backbone, result.samplesPerSecond);
      return result.metrics;
    } catch (error) {
      const failure = toFailure(error);
      if (run.datasetDeleted) {
        await clearPendingFor(req.datasetId);
        throw new EngineError(
          'dataset-deleted',
          'The dataset was deleted during training, so the run stopped and nothing was saved for it.',
        );
      }
      const cancelled = run.cancelled || failure.code === 'cancelled';
      if (failure.code === 'device-lost') trainBackend = 'wasm';
      await writePending({ ...pending, reason: cancelled ? 'cancelled' : 'failed' });
      if (cancelled) throw new EngineError('cancelled', 'Training was cancelled. Its saved epochs stay; nothing restarts by itself.');
      throw error;
    } finally {
      runner.close();
      if (current === run) current = undefined;
      // The session's clicks switch to the models this run stored.
      forgetDataset(req.datasetId);
      finished();
    }
  },

  async cancelTraining() {
    if (!current) return;
    current.cancelled = true;
    stop(current);
  },

  async pendingTraining() {
    const p = await readPending();
    // The live run is not "pending": it is running.
    return p && current && p.reason === 'interrupted' ? null : p;
  },

  async discardPendingTraining() {
    await clearPending();
  },

  async estimateTraining(req) {
    await ready();
    const summary = (await (await store()).listDatasets()).find((d) => d.id === req.datasetId);
    if (!summary) throw new EngineError('no-model', 'That dataset is not stored in this browser.');
    // A sample of the users trains on about their share of the samples.
    const share = req.maxUsers ? Math.min(1, req.maxUsers / Math.max(1, summary.stats.users)) : 1;
    const samplesPerEpoch = Math.round(summary.stats.trainSamples * share);
    const epochs = defaultTrainConfig(req.train).epochs;
    const backend = trainBackend ?? activeBackend()!.name;
    const saved = await savedEpochs(req);
    let seconds = 0;
    let measured = true;
    for (const method of req.methods) {
      const rate = await measuredSpeed(backend, req.backbone, method);
      if (rate === undefined) measured = false;
      const remaining = Math.max(0, epochs - (saved.get(method) ?? 0));
      seconds += (remaining * samplesPerEpoch) / (rate ?? defaultSamplesPerSecond[req.backbone][method]);
    }
    return { seconds, samplesPerEpoch, basis: measured ? 'measured' : 'default' };
  },

  async evaluate(datasetId, backbone, options = {}, onProgress) {
    await ready();
    evalAbort?.abort();
    const abort = new AbortController();
    evalAbort = abort;
    try {
      const dataset = await loadDataset(datasetId);
      const available = new Set((await listModels(datasetId)).filter((m) => m.backbone === backbone).map((m) => m.method));
      const methods = trainableMethods.filter((m) => available.has(m));
      if (!methods.length) throw new EngineError('no-model', 'No trained model to evaluate for this dataset and backbone.');
      return await evaluateMethods(dataset, methods, (m) => loadModel(datasetId, backbone, m), {
        finetune: options.finetune,
        train: defaultTrainConfig(),
        signal: abort.signal,
        onProgress: onProgress && ((p) => void onProgress(p)),
      });
    } finally {
      if (evalAbort === abort) evalAbort = undefined;
    }
  },

  async cancelEvaluation() {
    evalAbort?.abort();
  },

  listModels,

  async exportModel(datasetId, backbone, method) {
    const c = await storedCheckpoint(modelKey(datasetId, backbone, method));
    if (!c) throw new EngineError('no-model', 'That model is not stored in this browser.');
    return encodeModelFile(c);
  },

  async importModel(data, datasetId) {
    const file = decodeModelFile(data);
    const m = datasetId ? { ...file, datasetId } : file;
    const dataset = await loadDataset(m.datasetId);
    // Checked before anything is stored: catalog size and sequence length must fit this dataset.
    validateModel(m, { numItems: dataset.numItems, seqLen: dataset.train.seqLen, name: dataset.name });
    await saveModel(modelKey(m.datasetId, m.model.backbone, m.method), m, 'imported');
    const info: ModelInfo = {
      datasetId: m.datasetId,
      backbone: m.model.backbone,
      method: m.method,
      source: 'imported',
      epochsDone: m.epochsDone,
      trainedWith: `imported; trained on ${m.trainedWith.backend}`,
    };
    const sample = sampleNote(m);
    if (sample) info.sample = sample;
    return info;
  },

  async rank(datasetId, backbone, deviceSequence, methods, options) {
    await ready();
    return rankSession(datasetId, backbone, deviceSequence, methods, options);
  },

  async memory() {
    const m = tf.memory();
    return { tfBytes: m.numBytes, tfTensors: m.numTensors };
  },
};
