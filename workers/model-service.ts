// Models through src/engine: backend, training, evaluation and the device session.
import * as tf from '@tensorflow/tfjs-core';
import { activeBackend, initBackend, onDeviceLost, setWasmAssetPaths } from '../src/engine/backend';
import { wasmAssetPaths } from '../src/engine/backend-assets.browser';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../src/engine/defaults';
import { evaluateModel } from '../src/engine/evaluate';
import { evaluateFinetune } from '../src/engine/finetune';
import { disposeModel, type ModelMethod } from '../src/engine/model';
import { decodeModelFile, encodeModelFile } from '../src/engine/serialize';
import { trainModel } from '../src/engine/train';
import { EngineError, type Metrics } from '../src/engine/types';
import type { EngineApi, ModelInfo } from './api';
import { loadDataset, type DataMethods } from './data-service';
import { forgetAll, listModels, loadModel, modelKey, saveModel, storedCheckpoint } from './models';
import { rankSession } from './session';

type ModelMethods = Omit<EngineApi, keyof DataMethods>;

setWasmAssetPaths(wasmAssetPaths);

// A lost GPU (driver reset, a software adapter giving up) falls back to WASM. A training run
// on it cannot go on: it stops with a message, and Resume continues from the last epoch.
let deviceLost: string | undefined;
onDeviceLost((info) => {
  console.warn('GPU device lost', info);
  deviceLost = info.message || info.reason;
  forgetAll();
  trainAbort?.abort();
  starting = initBackend('wasm', { wasmPaths: wasmAssetPaths });
});

let starting: Promise<unknown> | undefined;
/** The backend, started on first need ('auto') unless setBackend chose one. */
export async function ready(): Promise<void> {
  starting ??= initBackend('auto', { wasmPaths: wasmAssetPaths });
  await starting;
}

let trainAbort: AbortController | undefined;
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
    return { name: b.name, software: b.software };
  },

  async train(req, onProgress) {
    await ready();
    trainAbort?.abort();
    const abort = new AbortController();
    trainAbort = abort;
    deviceLost = undefined;
    const dataset = await loadDataset(req.datasetId);
    const model = defaultModelConfig(req.backbone, dataset.numItems, { ...req.model, seqLen: dataset.options.seqLen });
    const duet = defaultDuetConfig(req.duet);
    const train = defaultTrainConfig(req.train);
    const results: Record<string, Metrics> = {};
    try {
      for (const method of req.methods) {
        const key = modelKey(req.datasetId, req.backbone, method);
        const checkpoint = req.resume ? await storedCheckpoint(key) : undefined;
        const result = await trainModel(dataset, {
          method, model, duet, train: { ...train, epochs: Math.max(train.epochs, checkpoint?.epochsDone ?? 0) },
          resumeFrom: checkpoint, signal: abort.signal, where: 'browser',
          // Contract stub: the orchestration work replaces this with real whole-run progress.
          onProgress: (p) => void onProgress({
            ...p,
            overallFraction: (req.methods.indexOf(method) + (p.epoch - 1 + p.step / Math.max(1, p.stepsPerEpoch)) / p.epochs) / req.methods.length,
            methodIndex: req.methods.indexOf(method),
            methodCount: req.methods.length,
          }),
          onEpochEnd: (c) => saveModel(key, c, 'trained-here'),
        });
        await saveModel(key, result.checkpoint, 'trained-here');
        disposeModel(result.model);
        results[method] = result.metrics;
      }
      return results;
    } catch (err) {
      if (deviceLost === undefined) throw err;
      const reason = deviceLost;
      deviceLost = undefined;
      throw new EngineError(
        'device-lost',
        `The GPU stopped during training (${reason}). The engine switched to WASM: press Resume to continue from the last saved epoch.`,
      );
    } finally {
      if (trainAbort === abort) trainAbort = undefined;
    }
  },

  async cancelTraining() {
    trainAbort?.abort();
  },

  // Contract stubs (workers/api.ts); the orchestration work implements them.
  async pendingTraining() {
    return null;
  },

  async discardPendingTraining() {},

  async estimateTraining(req) {
    const dataset = await loadDataset(req.datasetId);
    const epochs = req.train.epochs ?? defaultTrainConfig().epochs;
    const samplesPerEpoch = dataset.train.count;
    return { seconds: (samplesPerEpoch * epochs * req.methods.length) / 2000, samplesPerEpoch, basis: 'default' as const };
  },

  async evaluate(datasetId, backbone, options = {}, onProgress) {
    await ready();
    evalAbort?.abort();
    const abort = new AbortController();
    evalAbort = abort;
    try {
      const dataset = await loadDataset(datasetId);
      const available = await listModels(datasetId);
      const results: Record<string, Metrics> = {};
      for (const info of available.filter((m) => m.backbone === backbone)) {
        if (abort.signal.aborted) throw new EngineError('cancelled', 'Evaluation was cancelled.');
        results[info.method] = await evaluateModel(await loadModel(datasetId, backbone, info.method), dataset.test, dataset);
        if (info.method === 'base' && options.finetune) {
          results.finetune = await evaluateFinetune(await loadModel(datasetId, backbone, 'base'), dataset, defaultTrainConfig(), {
            signal: abort.signal,
            onProgress: onProgress && ((p) => void onProgress(p)),
          });
        }
      }
      if (!Object.keys(results).length) throw new EngineError('no-model', 'No trained model to evaluate for this dataset and backbone.');
      return results;
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
    if (m.model.numItems !== dataset.numItems) {
      throw new EngineError(
        'bad-checkpoint',
        `This model was trained on a catalog of ${m.model.numItems} items; "${dataset.name}" has ${dataset.numItems}.`,
      );
    }
    const method = m.method as ModelMethod;
    await saveModel(modelKey(m.datasetId, m.model.backbone, method), m, 'imported');
    const info: ModelInfo = {
      datasetId: m.datasetId, backbone: m.model.backbone, method, source: 'imported',
      epochsDone: m.epochsDone, trainedWith: `imported; trained on ${m.trainedWith.backend}`,
    };
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
