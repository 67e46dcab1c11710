// Saving and loading: a round trip through SerializedModel and through the binary file gives
// the same scores; damaged files are refused with bad-checkpoint.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { tinyDataset } from './fixtures';
import { createModel, disposeModel, type ModelMethod } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../../src/engine/defaults';
import { decodeModelFile, deserializeModel, encodeModelFile, serializeModel, validateModel } from '../../src/engine/serialize';
import { scoreSamples } from '../../src/engine/evaluate';
import { EngineError, type SerializedModel } from '../../src/engine/types';

const dataset = tinyDataset({ users: 6 });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function saved(
  method: ModelMethod,
  backbone: 'sasrec' | 'din' = 'sasrec',
): Promise<{ original: ReturnType<typeof createModel>; file: SerializedModel }> {
  const original = createModel(
    defaultModelConfig(backbone, dataset.numItems, { dim: 4, seqLen: 5, heads: 2 }),
    method,
    defaultDuetConfig({ swa: { generators: 2, temperature: 1 } }),
    9,
  );
  const file = await serializeModel(original, {
    train: defaultTrainConfig(),
    epochsDone: 3,
    bestValidUauc: 0.7,
    datasetId: dataset.id,
    trainedWith: { backend: 'cpu', where: 'cli', date: '2026-01-01T00:00:00Z' },
    optimizer: [{ name: 'adam.steps', shape: [], data: new Float32Array([5]) }],
  });
  return { original, file };
}

it.each(['base', 'duet', 'duet-swa'] as const)('%s: serialise, encode, decode, deserialise gives the same scores', async (method) => {
  const { original, file } = await saved(method);
  const decoded = decodeModelFile(encodeModelFile(file));
  expect(decoded.epochsDone).toBe(3);
  expect(decoded.model).toEqual(file.model);
  expect(decoded.optimizer).toEqual(file.optimizer);
  const restored = deserializeModel(decoded);
  const before = await scoreSamples(original, dataset.test);
  const after = await scoreSamples(restored, dataset.test);
  expect(Array.from(after)).toEqual(Array.from(before));
  disposeModel(original);
  disposeModel(restored);
});

it('refuses damaged or foreign files with bad-checkpoint', async () => {
  const { original, file } = await saved('duet', 'din');
  const bytes = new Uint8Array(encodeModelFile(file));
  disposeModel(original);
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof EngineError ? e.code : `other: ${(e as Error).message}`;
    }
    return 'no error';
  };
  expect(code(() => decodeModelFile(new TextEncoder().encode('user;item\n1;2').buffer as ArrayBuffer))).toBe('bad-checkpoint');
  expect(code(() => decodeModelFile(bytes.slice(0, bytes.length - 4).buffer))).toBe('bad-checkpoint');
  expect(code(() => decodeModelFile(bytes.slice(0, 40).buffer))).toBe('bad-checkpoint');
  const extended = new Uint8Array(bytes.length + 4);
  extended.set(bytes);
  expect(code(() => decodeModelFile(extended.buffer))).toBe('bad-checkpoint');
  // A valid file whose weights do not fit its configuration.
  const wrongShape = { ...file, weights: file.weights.map((w) => (w.name === 'seq.W' ? { ...w, shape: [2, 8] } : w)) };
  expect(code(() => deserializeModel(wrongShape))).toBe('bad-checkpoint');
  const missing = { ...file, weights: file.weights.filter((w) => w.name !== 'gen.z.W1') };
  expect(code(() => deserializeModel(missing))).toBe('bad-checkpoint');
  expect(tf.memory().numTensors).toBe(0);
});

describe('model files are validated before anything is stored', () => {
  const refusal = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).code).toBe('bad-checkpoint');
      return (e as EngineError).message;
    }
    return 'no error';
  };
  /** The file as written, then changed in its JSON header or weights, then read back. */
  async function decodedWith(change: (m: Record<string, unknown>) => void): Promise<string> {
    const { original, file } = await saved('duet');
    disposeModel(original);
    const copy = { ...file, weights: file.weights.map((w) => ({ ...w, data: w.data.slice() })) } as unknown as Record<string, unknown>;
    change(copy);
    return refusal(() => decodeModelFile(encodeModelFile(copy as unknown as SerializedModel)));
  }

  it('accepts a complete, finite model of a known kind', async () => {
    const { original, file } = await saved('duet');
    disposeModel(original);
    expect(refusal(() => validateModel(decodeModelFile(encodeModelFile(file)), { numItems: dataset.numItems, seqLen: 5 }))).toBe(
      'no error',
    );
  });

  it('refuses NaN weights', async () => {
    expect(await decodedWith((m) => ((m.weights as SerializedModel['weights'])[0].data[3] = Number.NaN))).toMatch(/not finite/);
  });

  it('refuses a file without trainedWith', async () => {
    expect(await decodedWith((m) => delete m.trainedWith)).toMatch(/trainedWith/);
  });

  it('refuses an unknown method or backbone', async () => {
    expect(await decodedWith((m) => (m.method = 'magic'))).toMatch(/method "magic"/);
    expect(await decodedWith((m) => (m.model = { ...(m.model as object), backbone: 'bert' }))).toMatch(/backbone "bert"/);
  });

  it('refuses weights a fresh model of that configuration does not have', async () => {
    expect(
      await decodedWith((m) => (m.weights as SerializedModel['weights']).push({ name: 'extra', shape: [1], data: new Float32Array(1) })),
    ).toMatch(/extra/);
  });

  it('refuses a model whose sequence length or catalog differs from the dataset', async () => {
    const { original, file } = await saved('duet');
    disposeModel(original);
    expect(refusal(() => validateModel(file, { numItems: dataset.numItems, seqLen: 30, name: 'books' }))).toMatch(
      /sequences of 5 items; "books" has sequences of 30/,
    );
    expect(refusal(() => validateModel(file, { numItems: dataset.numItems + 1, seqLen: 5 }))).toMatch(/catalog/);
  });
});
