// Scoring and evaluation (docs/method.md#metrics): sampled metrics through metrics.ts, plus
// full-catalog HR/NDCG@10 of device-period targets when the dataset has histories.
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, LabeledSamples } from '../data/types';
import type { Metrics } from './types';
import { computeMetrics, fullCatalogMetrics, rankAmong } from './metrics';
import { disposeBatch, gatherRows, toBatch } from './batch';
import { forwardLogits, targetTower, userVectors, type RecModel } from './model';

const SCORE_BATCH = 512;
/** DIN scores each (sequence, item) pair through its attention MLP: skip full-catalog past this many pairs. */
const DIN_FULL_CATALOG_PAIRS = 2_000_000;

function useTrigger(model: RecModel): boolean {
  return model.method !== 'base' && model.duet.generatorInput === 'trigger';
}

/** Logits of samples `indices` (all when omitted), in batches. */
export async function scoreSamples(model: RecModel, samples: LabeledSamples, indices?: ArrayLike<number>): Promise<Float32Array> {
  const rows = indices ?? Int32Array.from({ length: samples.count }, (_, i) => i);
  const out = new Float32Array(rows.length);
  for (let start = 0; start < rows.length; start += SCORE_BATCH) {
    const slice = Array.prototype.slice.call(rows, start, Math.min(start + SCORE_BATCH, rows.length)) as number[];
    const batch = toBatch(gatherRows(samples, slice, useTrigger(model)));
    const logits = tf.tidy(() => forwardLogits(model, batch));
    out.set(await logits.data(), start);
    logits.dispose();
    disposeBatch(batch);
  }
  return out;
}

/** The target tower of every item id, transposed, cached on the model: [D, numItems + 1]. */
export function catalogTowers(model: RecModel): tf.Tensor2D {
  if (!model.catalog) {
    model.catalog = tf.tidy(() => {
      const ids = tf.range(0, model.config.numItems + 1, 1, 'int32');
      return tf.transpose(targetTower(model, ids));
    });
  }
  return model.catalog;
}

/** Scores of every item id (index = id) for each sample row: rows.length x (numItems + 1). */
export async function scoreCatalog(model: RecModel, samples: LabeledSamples, rows: number[]): Promise<Float32Array[]> {
  const V = model.config.numItems + 1;
  const out: Float32Array[] = [];
  if (model.config.backbone !== 'din') {
    const towers = catalogTowers(model);
    for (let start = 0; start < rows.length; start += 256) {
      const batch = toBatch(gatherRows(samples, rows.slice(start, start + 256), useTrigger(model)));
      const scores = tf.tidy(() => tf.matMul(userVectors(model, batch), towers));
      const data = await scores.data();
      scores.dispose();
      disposeBatch(batch);
      for (let r = 0; r * V < data.length; r++) out.push(data.slice(r * V, (r + 1) * V) as Float32Array);
    }
    return out;
  }
  for (const row of rows) {
    const scores = new Float32Array(V);
    for (let start = 0; start < V; start += SCORE_BATCH) {
      const ids = Array.from({ length: Math.min(SCORE_BATCH, V - start) }, (_, i) => start + i);
      const host = gatherRows(
        samples,
        ids.map(() => row),
        useTrigger(model),
      );
      host.target.set(ids);
      const batch = toBatch(host);
      const logits = tf.tidy(() => forwardLogits(model, batch));
      scores.set(await logits.data(), start);
      logits.dispose();
      disposeBatch(batch);
    }
    out.push(scores);
  }
  return out;
}

/** Positive rows with their history position: items[offsets[u] .. position) came before the target. */
function devicePositives(samples: LabeledSamples, dataset: Dataset): { row: number; user: number; position: number }[] {
  const h = dataset.histories!;
  const cursor = new Map<number, number>();
  const out: { row: number; user: number; position: number }[] = [];
  for (let row = 0; row < samples.count; row++) {
    if (samples.label[row] < 0.5) continue;
    const user = samples.user[row];
    if (samples.kind === 'history') {
      // Rows built from the histories know their position.
      if (samples.withTrigger) out.push({ row, user, position: samples.position[row] });
      continue;
    }
    const end = h.offsets[user + 1];
    let p = cursor.get(user) ?? h.devicePeriodStart[user];
    while (p < end && h.items[p] !== samples.target[row]) p++;
    if (p >= end) continue; // not a device-period interaction of this user
    cursor.set(user, p + 1);
    out.push({ row, user, position: p });
  }
  return out;
}

/** Full-catalog HR@10 / NDCG@10 of the device-period targets in `samples`; undefined when not computable. */
export async function fullCatalog(
  model: RecModel,
  samples: LabeledSamples,
  dataset: Dataset,
): Promise<{ hr: number; ndcg: number } | undefined> {
  const ranks = await fullCatalogRanks(model, samples, dataset);
  return ranks ? fullCatalogMetrics(ranks, 10) : undefined;
}

/** 0-based full-catalog rank of each device-period positive in `samples`, in row order. */
export async function fullCatalogRanks(model: RecModel, samples: LabeledSamples, dataset: Dataset): Promise<Int32Array | undefined> {
  if (!dataset.histories) return undefined;
  const positives = devicePositives(samples, dataset);
  if (positives.length === 0) return undefined;
  if (model.config.backbone === 'din' && positives.length * (model.config.numItems + 1) > DIN_FULL_CATALOG_PAIRS) return undefined;
  const h = dataset.histories;
  const ranks = new Int32Array(positives.length);
  const excluded = new Uint8Array(model.config.numItems + 1);
  for (let start = 0; start < positives.length; start += 256) {
    const chunk = positives.slice(start, start + 256);
    const scores = await scoreCatalog(
      model,
      samples,
      chunk.map((p) => p.row),
    );
    chunk.forEach((p, i) => {
      const before = h.items.subarray(h.offsets[p.user], p.position);
      for (const item of before) excluded[item] = 1;
      ranks[start + i] = rankAmong(scores[i], samples.target[p.row], excluded);
      for (const item of before) excluded[item] = 0;
    });
  }
  return ranks;
}

/** Sampled metrics over `samples`, plus full-catalog metrics for the dataset's test (device-period) set. */
export async function evaluateModel(model: RecModel, samples: LabeledSamples, dataset: Dataset): Promise<Metrics> {
  const scores = await scoreSamples(model, samples);
  const metrics = computeMetrics({ user: samples.user, label: samples.label, score: scores });
  if (samples === dataset.test) {
    const full = await fullCatalog(model, samples, dataset);
    if (full) {
      metrics.fullHr10 = full.hr;
      metrics.fullNdcg10 = full.ndcg;
    }
  }
  return metrics;
}
