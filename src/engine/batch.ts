// Host-side batch assembly: copies sample rows out of a SampleSet into typed arrays and then
// tensors. The read position (docs/method.md, "Samples": max(nonzero(seq) - 1, 0)) is precomputed here as a
// one-hot row so the models select it with one elementwise product.
import * as tf from '@tensorflow/tfjs-core';
import { readRows } from '../data/samples';
import type { Samples } from '../data/types';

export interface SequenceBatch {
  /** [B, L] item ids */
  items: tf.Tensor2D;
  /** [B, L] one-hot of the read position */
  read: tf.Tensor2D;
  /** [B, L] 1 for real items; position 0 always counts, so an empty sequence attends to something */
  mask: tf.Tensor2D;
  /** The read position of each row [B], on the host (the GRU orders its rows by it) */
  positions: Int32Array;
}

export interface Batch {
  size: number;
  seqLen: number;
  click: SequenceBatch;
  /** The generator's input: the click sequence, or the trigger where chosen and non-empty. */
  generator: SequenceBatch;
  /** [B] */
  target: tf.Tensor1D;
  /** [B] */
  label: tf.Tensor1D;
}

export interface HostBatch {
  size: number;
  seqLen: number;
  click: Int32Array;
  generator: Int32Array;
  target: Int32Array;
  label: Float32Array;
}

/**
 * Rows `indices` of `samples` (given rows, or built from histories; `epoch` picks a drawn
 * training set's negatives). With useTrigger, a row's non-empty trigger feeds the generator.
 */
export function gatherRows(samples: Samples, indices: ArrayLike<number>, useTrigger: boolean, epoch = 0): HostBatch {
  const rows = readRows(samples, indices, epoch);
  const L = rows.seqLen;
  let generator = rows.click;
  if (useTrigger) {
    generator = rows.click.slice();
    for (let b = 0; b < rows.size; b++) if (rows.trigger[b * L] !== 0) generator.set(rows.trigger.subarray(b * L, b * L + L), b * L);
  }
  return { size: rows.size, seqLen: L, click: rows.click, generator, target: rows.target, label: rows.label };
}

/** Read position per row: index of the last non-pad item, 0 when empty. */
export function readPositions(items: Int32Array, size: number, L: number): Int32Array {
  const out = new Int32Array(size);
  for (let b = 0; b < size; b++) {
    let n = 0;
    for (let j = 0; j < L; j++) if (items[b * L + j] !== 0) n++;
    out[b] = Math.max(n - 1, 0);
  }
  return out;
}

export function sequenceBatch(items: Int32Array, size: number, L: number): SequenceBatch {
  const positions = readPositions(items, size, L);
  const read = new Float32Array(size * L);
  const mask = new Float32Array(size * L);
  for (let b = 0; b < size; b++) {
    read[b * L + positions[b]] = 1;
    for (let j = 0; j < L; j++) mask[b * L + j] = j === 0 || items[b * L + j] !== 0 ? 1 : 0;
  }
  return {
    items: tf.tensor2d(items, [size, L], 'int32'),
    read: tf.tensor2d(read, [size, L]),
    mask: tf.tensor2d(mask, [size, L]),
    positions,
  };
}

export function toBatch(host: HostBatch): Batch {
  const { size, seqLen } = host;
  const click = sequenceBatch(host.click, size, seqLen);
  const sameSequence = host.generator.every((v, i) => v === host.click[i]);
  return {
    size,
    seqLen,
    click,
    generator: sameSequence ? click : sequenceBatch(host.generator, size, seqLen),
    target: tf.tensor1d(host.target, 'int32'),
    label: tf.tensor1d(host.label),
  };
}

export function disposeBatch(batch: Batch): void {
  for (const s of new Set([batch.click, batch.generator])) tf.dispose([s.items, s.read, s.mask]);
  tf.dispose([batch.target, batch.label]);
}
