// Saving and loading models: SerializedModel (types.ts) <-> RecModel, and a compact binary file
// (magic, JSON header with names and shapes, then raw little-endian float32 data).
import { EngineError, type SerializedModel } from './types';
import { ParamStore, type NamedArray } from './params';
import { modelSpecs, type RecModel } from './model';

export type ModelMeta = Omit<SerializedModel, 'formatVersion' | 'method' | 'model' | 'duet' | 'weights'>;

export async function serializeModel(model: RecModel, meta: ModelMeta): Promise<SerializedModel> {
  return {
    formatVersion: 1,
    method: model.method,
    model: { ...model.config },
    duet: { ...model.duet, swa: { ...model.duet.swa } },
    weights: await model.params.read(),
    ...meta,
  };
}

function bad(message: string): never {
  throw new EngineError('bad-checkpoint', `This model file cannot be used: ${message}.`);
}

const BACKBONES = ['sasrec', 'gru4rec', 'din'];
const METHODS = ['base', 'duet', 'duet-swa'];
const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown, min = 0) => Number.isInteger(x) && (x as number) >= min;

/**
 * Everything a stored model must have before it is kept: known backbone and method, the
 * whole configuration and metadata, exactly the weights a fresh model of that configuration
 * has (names and shapes), all finite; and, given the dataset it is for, its catalog size
 * and sequence length. Throws bad-checkpoint with a sentence; returns nothing.
 */
export function validateModel(s: SerializedModel, dataset?: { numItems: number; seqLen: number; name?: string }): void {
  const m = s as unknown as Record<string, unknown>;
  if (m.formatVersion !== 1) bad(`unknown format version ${String(m.formatVersion)}`);
  if (!METHODS.includes(m.method as string)) bad(`its method "${String(m.method)}" is not one of ${METHODS.join(', ')}`);
  const model = m.model;
  if (!isObject(model)) bad('it lacks the model configuration');
  if (!BACKBONES.includes(model.backbone as string)) bad(`its backbone "${String(model.backbone)}" is not one of ${BACKBONES.join(', ')}`);
  for (const key of ['numItems', 'dim', 'seqLen', 'heads', 'layers'] as const) {
    if (!isCount(model[key], 1)) bad(`its model configuration has no valid ${key}`);
  }
  if (typeof model.maskPadding !== 'boolean') bad('its model configuration has no maskPadding');
  const duet = m.duet;
  if (
    !isObject(duet) ||
    !isObject(duet.swa) ||
    typeof duet.freezeProjections !== 'boolean' ||
    !['click', 'trigger'].includes(duet.generatorInput as string)
  ) {
    bad('it lacks the DUET settings');
  }
  const train = m.train;
  if (!isObject(train) || !['epochs', 'batchSize', 'learningRate', 'seed', 'finetuneEpochs'].every((k) => typeof train[k] === 'number')) {
    bad('it lacks its training settings');
  }
  if (!isCount(m.epochsDone)) bad('it does not say how many epochs it was trained');
  if (m.bestValidUauc !== null && typeof m.bestValidUauc !== 'number') bad('its validation score is malformed');
  if (typeof m.datasetId !== 'string') bad('it does not name its dataset');
  const by = m.trainedWith;
  if (
    !isObject(by) ||
    !BACKENDS.includes(by.backend as string) ||
    !['cli', 'browser'].includes(by.where as string) ||
    typeof by.date !== 'string'
  ) {
    bad('it does not say how it was trained (trainedWith)');
  }
  let specs;
  try {
    specs = modelSpecs(s.model, s.method, s.duet!);
  } catch (e) {
    bad(`its configuration is invalid (${(e as Error).message})`);
  }
  for (const group of ['weights', 'resumeWeights'] as const) {
    const list = s[group];
    if (list === undefined && group === 'resumeWeights') continue;
    if (!Array.isArray(list)) bad(`it has no ${group}`);
    const expected = new Set(specs.map((spec) => spec.name));
    for (const w of list)
      if (!expected.has(w.name)) bad(`it has a parameter ${w.name} that a ${s.model.backbone} ${s.method} model does not have`);
    const byName = new Map(list.map((w) => [w.name, w]));
    for (const spec of specs) {
      const w = byName.get(spec.name);
      if (!w) bad(`parameter ${spec.name} is missing`);
      if (w.shape.length !== spec.shape.length || w.shape.some((d, i) => d !== spec.shape[i])) {
        bad(`parameter ${spec.name} has shape [${w.shape}], expected [${spec.shape}]`);
      }
      if (!(w.data instanceof Float32Array) || w.data.length !== spec.shape.reduce((a, b) => a * b, 1))
        bad(`parameter ${spec.name} has the wrong size`);
      if (!w.data.every(Number.isFinite)) bad(`parameter ${spec.name} holds values that are not finite numbers (NaN or infinity)`);
    }
  }
  for (const st of s.optimizer ?? []) if (!st.data.every(Number.isFinite)) bad(`its optimiser state ${st.name} is not finite`);
  if (dataset) {
    const where = dataset.name ? `"${dataset.name}"` : 'this dataset';
    if (s.model.numItems !== dataset.numItems)
      bad(`it was trained on a catalog of ${s.model.numItems} items; ${where} has ${dataset.numItems}`);
    if (s.model.seqLen !== dataset.seqLen)
      bad(`it reads sequences of ${s.model.seqLen} items; ${where} has sequences of ${dataset.seqLen}`);
  }
}

/** Rebuilds a model from `weights` (or `resumeWeights` when asked), checking every name and shape. */
export function deserializeModel(s: SerializedModel, which: 'weights' | 'resumeWeights' = 'weights'): RecModel {
  if (s.formatVersion !== 1) bad(`unknown format version ${String(s.formatVersion)}`);
  if (!s.duet) bad('it lacks the DUET settings');
  let specs;
  try {
    specs = modelSpecs(s.model, s.method, s.duet);
  } catch (e) {
    bad(`its configuration is invalid (${(e as Error).message})`);
  }
  const source = (which === 'resumeWeights' ? s.resumeWeights : undefined) ?? s.weights;
  const byName = new Map(source.map((w) => [w.name, w]));
  const params = new ParamStore();
  try {
    for (const spec of specs) {
      const w = byName.get(spec.name);
      if (!w) bad(`parameter ${spec.name} is missing`);
      if (w.shape.length !== spec.shape.length || w.shape.some((d, i) => d !== spec.shape[i])) {
        bad(`parameter ${spec.name} has shape [${w.shape}], expected [${spec.shape}]`);
      }
      if (w.data.length !== spec.shape.reduce((a, b) => a * b, 1)) bad(`parameter ${spec.name} has the wrong size`);
      params.add(spec, w.data);
    }
  } catch (e) {
    params.dispose();
    throw e;
  }
  return { method: s.method, config: { ...s.model }, duet: s.duet, params };
}

const MAGIC = 'DUETMDL1';
type ArrayGroup = 'weights' | 'optimizer' | 'resumeWeights';
const GROUPS: ArrayGroup[] = ['weights', 'optimizer', 'resumeWeights'];

export function encodeModelFile(m: SerializedModel): ArrayBuffer {
  const header: Record<string, unknown> = { ...m };
  const arrays: NamedArray[] = [];
  for (const group of GROUPS) {
    const list = m[group];
    if (!list) continue;
    header[group] = list.map((w) => ({ name: w.name, shape: w.shape }));
    arrays.push(...list);
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((12 + json.length) / 4) * 4;
  const floats = arrays.reduce((n, w) => n + w.data.length, 0);
  const buffer = new ArrayBuffer(dataStart + floats * 4);
  const bytes = new Uint8Array(buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(buffer).setUint32(8, json.length, true);
  bytes.set(json, 12);
  const view = new DataView(buffer, dataStart);
  let offset = 0;
  for (const w of arrays) {
    for (let i = 0; i < w.data.length; i++) view.setFloat32((offset + i) * 4, w.data[i], true);
    offset += w.data.length;
  }
  return buffer;
}

function isShape(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((d) => Number.isInteger(d) && d >= 0 && d < 1e9);
}

export function decodeModelFile(buffer: ArrayBuffer): SerializedModel {
  if (buffer.byteLength < 12) bad('it is too short to be a DUET model');
  const bytes = new Uint8Array(buffer);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) bad('it is not a DUET model file');
  const jsonLength = new DataView(buffer).getUint32(8, true);
  if (12 + jsonLength > buffer.byteLength) bad('its header is cut off');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as Record<string, unknown>;
  } catch {
    bad('its header is not valid JSON');
  }
  if (header.formatVersion !== 1) bad('it has an unknown format version');
  const dataStart = Math.ceil((12 + jsonLength) / 4) * 4;
  const view = new DataView(buffer, Math.min(dataStart, buffer.byteLength));
  const available = Math.floor((buffer.byteLength - Math.min(dataStart, buffer.byteLength)) / 4);
  let offset = 0;
  const result: Record<string, unknown> = { ...header };
  for (const group of GROUPS) {
    const list = header[group];
    if (list === undefined) continue;
    if (!Array.isArray(list)) bad(`its ${group} list is malformed`);
    result[group] = list.map((entry: unknown) => {
      const { name, shape } = entry as { name: unknown; shape: unknown };
      if (typeof name !== 'string' || !isShape(shape)) bad(`an entry of ${group} is malformed`);
      const size = shape.reduce((a, b) => a * b, 1);
      if (offset + size > available) bad('its data is shorter than its header says');
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++) data[i] = view.getFloat32((offset + i) * 4, true);
      offset += size;
      return { name, shape, data };
    });
  }
  if (offset !== available) bad('its data is longer than its header says');
  if (!Array.isArray(result.weights)) bad('it has no weights');
  const model = result as unknown as SerializedModel;
  validateModel(model);
  return model;
}
