// Where the workers find models: trained-here or imported ones in IndexedDB first, then the
// ones shipped under public/models (made by the CLI, listed in public/models/manifest.json).
// Listing reads metadata only; a model's weights are read when it is first used, then kept.
import { decodeModelFile, deserializeModel } from '../src/engine/serialize';
import { disposeModel, type ModelMethod, type RecModel } from '../src/engine/model';
import { EngineError, type Backbone, type SerializedModel } from '../src/engine/types';
import type { StoredModelMeta } from '../src/data/store';
import type { ModelInfo } from './api';
import { store } from './data-service';

export function modelKey(datasetId: string, backbone: Backbone, method: ModelMethod): string {
  return `${datasetId}/${backbone}/${method}`;
}

/** One entry of public/models/manifest.json (written by scripts/models-manifest.ts). */
interface ShippedEntry {
  file: string;
  datasetId: string;
  backbone: Backbone;
  method: ModelMethod;
  numItems: number;
  epochsDone: number;
  trainedWith: SerializedModel['trainedWith'];
}

const modelsUrl = (file: string) => new URL(`${import.meta.env.BASE_URL}models/${file}`, self.location.origin);

let manifest: Promise<ShippedEntry[]> | undefined;
/** The shipped models of this build; none when the build has no manifest. */
function shippedModels(): Promise<ShippedEntry[]> {
  manifest ??= (async () => {
    try {
      const r = await fetch(modelsUrl('manifest.json'));
      // vite preview answers unknown paths with index.html: check the type, not just the status.
      if (!r.ok || !(r.headers.get('content-type') ?? '').includes('json')) return [];
      return ((await r.json()) as { models: ShippedEntry[] }).models;
    } catch {
      return [];
    }
  })();
  return manifest;
}

/** Shipped entries usable with this dataset: one built for another catalog would rank the wrong items. */
async function shippedFor(datasetId: string): Promise<ShippedEntry[]> {
  const entries = (await shippedModels()).filter((e) => e.datasetId === datasetId);
  if (!entries.length) return [];
  const summary = (await (await store()).listDatasets()).find((d) => d.id === datasetId);
  return entries.filter((e) => e.numItems === summary?.stats.items);
}

function describe(m: { epochsDone: number; trainedWith: SerializedModel['trainedWith'] }): string {
  const where = m.trainedWith.where === 'cli' ? 'with the command-line tool ' : '';
  const epochs = `${m.epochsDone} epoch${m.epochsDone === 1 ? '' : 's'}`;
  return `trained ${where}on ${m.trainedWith.backend}, ${epochs}, ${m.trainedWith.date.slice(0, 10)}`;
}

/** The model with the sample's note in its metadata (unchanged when it saw every user); the store and the model file keep `trainedWith` whole. */
export function withSampleNote(m: SerializedModel, note: string): SerializedModel {
  return note ? { ...m, trainedWith: { ...m.trainedWith, sample: note } } : m;
}

/** The sample's note of a model's metadata, if it was trained on a sample (an imported file's field may be anything). */
export function sampleNote(m: { trainedWith: SerializedModel['trainedWith'] }): string | undefined {
  const note: unknown = m.trainedWith.sample;
  return typeof note === 'string' && note ? note : undefined;
}

function storedInfo(m: StoredModelMeta): ModelInfo {
  const trainedWith = m.source === 'imported' ? `imported; ${describe(m)}` : describe(m);
  const sample = sampleNote(m);
  return {
    datasetId: m.datasetId,
    backbone: m.backbone,
    method: m.method,
    source: m.source,
    epochsDone: m.epochsDone,
    trainedWith,
    ...(sample ? { sample } : {}),
  };
}

/** Stored models over shipped ones of the same backbone and method. */
export async function listModels(datasetId: string): Promise<ModelInfo[]> {
  const stored = (await (await store()).listModels(datasetId)).map(storedInfo);
  const have = new Set(stored.map((m) => modelKey(m.datasetId, m.backbone, m.method)));
  const shipped = (await shippedFor(datasetId))
    .filter((e) => !have.has(modelKey(datasetId, e.backbone, e.method)))
    .map((e): ModelInfo => ({
      datasetId,
      backbone: e.backbone,
      method: e.method,
      source: 'shipped',
      epochsDone: e.epochsDone,
      trainedWith: describe(e),
    }));
  return [...stored, ...shipped];
}

async function serialized(datasetId: string, backbone: Backbone, method: ModelMethod): Promise<SerializedModel | undefined> {
  const stored = await (await store()).loadModel(modelKey(datasetId, backbone, method));
  if (stored) return stored;
  const entry = (await shippedFor(datasetId)).find((e) => e.backbone === backbone && e.method === method);
  if (!entry) return undefined;
  const response = await fetch(modelsUrl(entry.file));
  if (!response.ok) return undefined;
  return { ...decodeModelFile(await response.arrayBuffer()), datasetId };
}

const loaded = new Map<string, RecModel>();

/** The model for a key, deserialized once and kept. */
export async function loadModel(datasetId: string, backbone: Backbone, method: ModelMethod): Promise<RecModel> {
  const key = modelKey(datasetId, backbone, method);
  const cached = loaded.get(key);
  if (cached) return cached;
  const found = await serialized(datasetId, backbone, method);
  if (!found) {
    throw new EngineError('no-model', `No ${method.toUpperCase()} ${backbone} model for this dataset yet. Train one first.`);
  }
  const model = deserializeModel(found);
  loaded.set(key, model);
  return model;
}

/** Saves a model (a checkpoint or a finished one) with its metadata and drops the in-memory copy of the key. */
export async function saveModel(key: string, m: SerializedModel, source: StoredModelMeta['source']): Promise<void> {
  await (await store()).saveModel(key, m, source);
  forget(key);
}

export function forget(key: string): void {
  const model = loaded.get(key);
  if (model) disposeModel(model);
  loaded.delete(key);
}

/** After a training run on the dataset: the next click loads the new models. */
export function forgetDataset(datasetId: string): void {
  for (const key of [...loaded.keys()]) if (key.startsWith(`${datasetId}/`)) forget(key);
}

export async function storedCheckpoint(key: string): Promise<SerializedModel | undefined> {
  return (await store()).loadModel(key);
}

/** After the GPU device is lost its tensors are gone: reload every model on next use. */
export function forgetAll(): void {
  for (const key of [...loaded.keys()]) loaded.delete(key);
}
