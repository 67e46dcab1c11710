// GRU(D -> D) over a transformed sequence, read at one position per row (docs/method.md: GRU4Rec's
// user state and the DUET generator's g). PyTorch's gate layout: r, z, n.
import * as tf from '@tensorflow/tfjs-core';
import { gruRecurrence } from './gru-bptt';
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

/**
 * Runs the GRU over x [B, L, D] for `steps` steps (left-aligned sequences: no row reads past
 * its last item) and returns the hidden state at each row's read position: read [B, L] one-hot.
 * The recurrence is one op with a hand-written backward (gru-bptt.ts); gradients flow to x,
 * Wi, bi, Wh and bh, not to `read`.
 */
export function gruAtRead(x: tf.Tensor, read: tf.Tensor, steps: number, w: GruWeights): tf.Tensor2D {
  const [B, L, D] = (x as tf.Tensor3D).shape;
  if (steps < 1) return tf.zeros([B, D]);
  if (B === 1) {
    // one row (a device click): its first `steps` positions are already time-major rows
    const xT = steps < L ? tf.slice(tf.reshape(x, [L, D]), [0, 0], [steps, D]) : tf.reshape(x, [L, D]);
    const readT = tf.reshape(steps < L ? tf.slice(read, [0, 0], [1, steps]) : read, [steps, 1]);
    return gruRecurrence(xT, w.Wi, w.bi, readT, w.Wh, w.bh);
  }
  const xs = steps < L ? tf.slice(x, [0, 0, 0], [B, steps, D]) : x;
  const xT = tf.reshape(tf.transpose(xs, [1, 0, 2]), [steps * B, D]); // time-major rows
  const readT = tf.transpose(steps < L ? tf.slice(read, [0, 0], [B, steps]) : read); // [steps, B]
  return gruRecurrence(xT, w.Wi, w.bi, readT, w.Wh, w.bh);
}
