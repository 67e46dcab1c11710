// The live device session (docs/method.md#the-problem): rank the whole catalog for a device
// sequence with Base, DUET (one generator forward, then u against the cached catalog towers),
// or a model fine-tuned for a few steps on the session's clicks.
import * as tf from '@tensorflow/tfjs-core';
import type { SampleSet } from '../data/types';
import { emptySampleSet } from '../data/samples';
import type { GeneratedParameters, Recommendation } from './types';
import { createRng, randomInt } from '../random';
import { generatedLayers, generatedShapes, isDuet, userVectorsWithLayers, type RecModel } from './model';
import { disposeBatch, gatherRows, toBatch } from './batch';
import { catalogTowers, scoreCatalog } from './evaluate';
import { copyModel } from './finetune';
import { createOptimizer, trainStep } from './step';

/** The last seqLen items of a sequence, left-aligned and zero-padded (docs/method.md#samples). */
export function sequenceRow(sequence: ArrayLike<number>, seqLen: number): Int32Array {
  const row = new Int32Array(seqLen);
  const start = Math.max(0, sequence.length - seqLen);
  for (let i = start; i < sequence.length; i++) row[i - start] = sequence[i];
  return row;
}

/** One-row SampleSet whose click and trigger sequences are both the device sequence. */
function deviceSample(model: RecModel, deviceSequence: Int32Array): SampleSet {
  const row = sequenceRow(deviceSequence, model.config.seqLen);
  return { ...emptySampleSet(1, model.config.seqLen), clickSeq: row, triggerSeq: row.slice() };
}

/** Top-k items for a device sequence (item ids, oldest first), skipping padding and `exclude`. */
export async function rankCatalog(model: RecModel, deviceSequence: Int32Array, k: number, exclude?: Int32Array): Promise<Recommendation[]> {
  const [scores] = await scoreCatalog(model, deviceSample(model, deviceSequence), [0]);
  return topK(scores, k, new Set(exclude ?? []));
}

/**
 * The k best item ids by score (ties: lower id first), skipping id 0 and `skip`. One pass
 * with a small sorted buffer: a full sort of the catalog cost more than DUET's forward pass.
 * Ids come in increasing order, so an id ties with none it follows: once k are kept, most ids
 * cost one comparison with the k-th best score.
 */
export function topK(scores: Float32Array, k: number, skip: Set<number>): Recommendation[] {
  const best: number[] = []; // item ids, best first
  const checkSkip = skip.size > 0;
  let kth = Infinity; // the k-th best score, once k are kept
  for (let id = 1; id < scores.length; id++) {
    const score = scores[id];
    if (best.length === k && !(score > kth)) continue;
    if (checkSkip && skip.has(id)) continue;
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && score > scores[best[at - 1]]) at--;
    best.splice(at, 0, id);
    if (best.length > k) best.pop();
    if (best.length === k) kth = scores[best[k - 1]];
  }
  return best.map((itemId) => ({ itemId, score: scores[itemId] }));
}

/** The dynamic layers DUET generates for this device sequence: what crosses from cloud to device. */
export async function generateClassifier(model: RecModel, deviceSequence: Int32Array): Promise<GeneratedParameters> {
  if (!isDuet(model.method)) throw new Error('only DUET models generate parameters');
  const batch = toBatch(gatherRows(deviceSample(model, deviceSequence), [0], true));
  const layers = tf.tidy(() => generatedLayers(model, batch));
  disposeBatch(batch);
  const [layer1, layer2] = await Promise.all(layers.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(layers);
  const shapes = generatedShapes(model.config);
  return {
    layer1,
    layer2,
    dim: model.config.dim,
    ...(model.config.backbone === 'din' ? { shapes: [shapes[0], shapes[1]] as [[number, number], [number, number]] } : {}),
  };
}

/** Backends whose data is already on the CPU side: a synchronous read there is a copy, an async one adds only promise hops. */
const HOST_BACKENDS = new Set(['wasm', 'cpu']);

/** The tensors' float32 values (never dataSync on a GPU backend: it blocks, and breaks WebGPU in a worker). */
async function readAll(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  if (HOST_BACKENDS.has(tf.getBackend())) return tensors.map((t) => t.dataSync() as Float32Array);
  return (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
}

/**
 * A DUET click: the top-k and the generated parameters from ONE generator pass (calling
 * rankCatalog and generateClassifier runs it twice). DIN falls back to the two calls.
 */
export async function adaptAndRank(
  model: RecModel,
  deviceSequence: Int32Array,
  k: number,
  exclude?: Int32Array,
): Promise<{ top: Recommendation[]; parameters: GeneratedParameters }> {
  if (model.config.backbone === 'din') {
    return { top: await rankCatalog(model, deviceSequence, k, exclude), parameters: await generateClassifier(model, deviceSequence) };
  }
  const towers = catalogTowers(model); // [D, numItems + 1]
  const batch = toBatch(gatherRows(deviceSample(model, deviceSequence), [0], true));
  const { scores, layers } = tf.tidy(() => {
    const { u, layers } = userVectorsWithLayers(model, batch);
    return { scores: tf.matMul(u, towers), layers };
  });
  disposeBatch(batch);
  const [scoreData, layer1, layer2] = await readAll([scores, ...layers]);
  tf.dispose([scores, ...layers]);
  return { top: topK(scoreData, k, new Set(exclude ?? [])), parameters: { layer1, layer2, dim: model.config.dim } };
}

/**
 * The live fine-tune baseline: a copy of `baseModel` after `steps` Adam steps (lr 1e-3) on the
 * session's clicks as positives (each with the history before it), with 4 sampled negatives
 * each. `firstPositive` > 0 makes only the clicks from that index on positives (the earlier
 * ones are history only). The caller disposes the returned model (disposeModel).
 */
export function finetuneOnSession(
  baseModel: RecModel,
  deviceSequence: Int32Array,
  steps: number,
  seed: number,
  learningRate = 1e-3,
  firstPositive = 0,
): RecModel {
  const model = copyModel(baseModel);
  if (deviceSequence.length === 0 || steps <= 0) return model;
  const L = model.config.seqLen;
  const rng = createRng(seed);
  const clicked = new Set(deviceSequence);
  const rows: { target: number; label: number; history: Int32Array }[] = [];
  for (let i = Math.max(0, firstPositive); i < deviceSequence.length; i++) {
    const history = sequenceRow(deviceSequence.subarray(0, i), L);
    rows.push({ target: deviceSequence[i], label: 1, history });
    for (let n = 0; n < 4; n++) {
      let negative = 1 + randomInt(rng, model.config.numItems);
      for (let tries = 0; clicked.has(negative) && tries < 20; tries++) negative = 1 + randomInt(rng, model.config.numItems);
      rows.push({ target: negative, label: 0, history });
    }
  }
  const samples = emptySampleSet(rows.length, L);
  rows.forEach((r, i) => {
    samples.target[i] = r.target;
    samples.label[i] = r.label;
    samples.clickSeq.set(r.history, i * L);
  });
  const optimizer = createOptimizer(model, learningRate);
  const batch = toBatch(
    gatherRows(
      samples,
      rows.map((_, i) => i),
      false,
    ),
  );
  try {
    for (let s = 0; s < steps; s++) trainStep(model, optimizer, batch).dispose();
  } finally {
    disposeBatch(batch);
    optimizer.dispose();
  }
  return model;
}
