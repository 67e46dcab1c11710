// GRU(D -> D) over a transformed sequence, read at one position per row (docs/method.md: GRU4Rec's
// user state and the DUET generator's g). PyTorch's gate layout: r, z, n.
import * as tf from '@tensorflow/tfjs-core';
import { gruRecurrence } from './gru-bptt';
import { clickRowApplies, gruRow } from './kernels/click-row';
import type { ParamSpec } from './params';

export function gruSpecs(prefix: string, dim: number): ParamSpec[] {
  return [
    { name: `${prefix}.Wi`, shape: [dim, 3 * dim], init: 'xavier' },
    { name: `${prefix}.bi`, shape: [3 * dim], init: 'zeros' },
    { name: `${prefix}.Wh`, shape: [dim, 3 * dim], init: 'xavier' },
    { name: `${prefix}.bh`, shape: [3 * dim], init: 'zeros' },
  ];
}

export interface GruWeights {
  Wi: tf.Tensor;
  bi: tf.Tensor;
  Wh: tf.Tensor;
  bh: tf.Tensor;
}

/** Row indices by read position, longest first (ties: lower row first). */
export function rowsLongestFirst(positions: Int32Array): Int32Array {
  return Int32Array.from(positions.keys()).sort((a, b) => positions[b] - positions[a] || a - b);
}

/**
 * Runs the GRU over x [B, L, D] (left-aligned sequences) and returns the hidden state at each
 * row's read position `positions` [B] (host values, each < L). The recurrence is one op with
 * a hand-written backward (gru-bptt.ts); gradients flow to x, Wi, bi, Wh and bh.
 *
 * The recurrence sees the rows longest first: its step kernels stop each step at the last row
 * still running (kernels/gru-step.ts activeRows), so a batch of mixed lengths costs its
 * items, not B x the longest. The reordering is the gather that makes x time-major (where a
 * transpose was), and one gather of the [B, D] result back.
 */
export function gruAtRead(x: tf.Tensor, positions: Int32Array, w: GruWeights): tf.Tensor2D {
  const [B, L, D] = (x as tf.Tensor3D).shape;
  const steps = 1 + positions.reduce((a, b) => Math.max(a, b), 0);
  if (clickRowApplies(B)) return gruRow(x, steps, w); // a device click: one launch
  const order = rowsLongestFirst(positions);
  const readT = new Float32Array(steps * B); // [steps, B]: row i (in `order`) is read at its position
  order.forEach((row, i) => (readT[positions[row] * B + i] = 1));
  let xT: tf.Tensor; // time-major rows [steps * B, D]
  if (B === 1) {
    // one row (a device click): its first `steps` positions are already time-major rows
    xT = steps < L ? tf.slice(tf.reshape(x, [L, D]), [0, 0], [steps, D]) : tf.reshape(x, [L, D]);
  } else {
    const rowsAt = new Int32Array(steps * B); // row t * B + i of xT is item t of row order[i]
    for (let t = 0; t < steps; t++) for (let i = 0; i < B; i++) rowsAt[t * B + i] = order[i] * L + t;
    xT = tf.gather(tf.reshape(x, [B * L, D]), tf.tensor1d(rowsAt, 'int32'));
  }
  const out = gruRecurrence(xT, w.Wi, w.bi, tf.tensor2d(readT, [steps, B]), w.Wh, w.bh);
  if (order.every((row, i) => row === i)) return out;
  const back = new Int32Array(B); // where each row's state is in `out`
  order.forEach((row, i) => (back[row] = i));
  return tf.gather(out, tf.tensor1d(back, 'int32'));
}
