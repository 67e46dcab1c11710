// Where the worker finds models: trained-here checkpoints in IndexedDB first, then the ones
// shipped under public/models (made by the CLI). Loaded models stay in memory by key.
import { decodeModelFile, deserializeModel } from '../src/engine/serialize';
import { disposeModel, type ModelMethod, type RecModel } from '../src/engine/model';
import { EngineError, type Backbone, type SerializedModel } from '../src/engine/types';
import type { ModelInfo } from './api';
import { loadDataset, store } from './data-service';

export function modelKey(datasetId: string, backbone: Backbone, method: ModelMethod): string {
  return `${datasetId}/${backbone}/${method}`;
}

const shippedBackbones: Backbone[] = ['sasrec', 'gru4rec', 'din'];
const shippedMethods: ModelMethod[] = ['base', 'duet'];
const shippedCache = new Map<string, Promise<SerializedModel | undefined>>();

/** A model file shipped with the app, or undefined when this build has none. */
function shipped(datasetId: string, backbone: Backbone, method: ModelMethod): Promise<SerializedModel | undefined> {
  const key = modelKey(datasetId, backbone, method);
  let found = shippedCache.get(key);
  if (!found) {
    const url = new URL(`${import.meta.env.BASE_URL}models/${datasetId}-${backbone}-${method}.duetmodel`, self.location.origin);
    found = fetch(url)
      .then(async (r) => {
        // vite preview answers unknown paths with index.html: check the type, not just the status.
        if (!r.ok || (r.headers.get('content-type') ?? '').includes('text/html')) return undefined;
        const m = decodeModelFile(await r.arrayBuffer());
        return { ...m, datasetId };
      })
      .catch(() => undefined);
    shippedCache.set(key, found);
  }
  return found;
}

type Source = ModelInfo['source'];
const sources = new Map<string, Source>();

/** The serialized model in use for a key: stored (trained here or imported) over shipped. */
async function serialized(datasetId: string, backbone: Backbone, method: ModelMethod): Promise<{ model: SerializedModel; source: Source } | undefined> {
  const key = modelKey(datasetId, backbone, method);
  const stored = await (await store()).loadModel(key);
  if (stored) return { model: stored, source: sources.get(key) ?? (stored.trainedWith.where === 'browser' ? 'trained-here' : 'imported') };
  const ship = datasetId === 'default' ? await shipped(datasetId, backbone, method) : undefined;
  // A model shipped for another build of the default dataset would rank the wrong items.
  if (!ship || ship.model.numItems !== (await loadDataset(datasetId)).numItems) return undefined;
  return { model: ship, source: 'shipped' };
}

function describe(m: SerializedModel): string {
  const where = m.trainedWith.where === 'cli' ? 'with the command-line tool ' : '';
  const epochs = `${m.epochsDone} epoch${m.epochsDone === 1 ? '' : 's'}`;
  return `trained ${where}on ${m.trainedWith.backend}, ${epochs}, ${m.trainedWith.date.slice(0, 10)}`;
}

export async function listModels(datasetId: string): Promise<ModelInfo[]> {
  const infos: ModelInfo[] = [];
  for (const backbone of shippedBackbones) {
    for (const method of [...shippedMethods, 'duet-swa' as const]) {
      const found = await serialized(datasetId, backbone, method);
      if (!found) continue;
      infos.push({
        datasetId, backbone, method, source: found.source,
        epochsDone: found.model.epochsDone, trainedWith: describe(found.model),
      });
    }
  }
  return infos;
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
  const model = deserializeModel(found.model);
  loaded.set(key, model);
  return model;
}

/** Saves a model (a checkpoint or a finished one) and drops the in-memory copy of the key. */
export async function saveModel(key: string, m: SerializedModel, source: Source): Promise<void> {
  await (await store()).saveModel(key, m);
  sources.set(key, source);
  forget(key);
}

export function forget(key: string): void {
  const model = loaded.get(key);
  if (model) disposeModel(model);
  loaded.delete(key);
}

export async function storedCheckpoint(key: string): Promise<SerializedModel | undefined> {
  return (await store()).loadModel(key);
}

/** After the GPU device is lost its tensors are gone: reload every model on next use. */
export function forgetAll(): void {
  for (const key of [...loaded.keys()]) loaded.delete(key);
}
