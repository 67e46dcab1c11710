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
  return result as unknown as SerializedModel;
}
