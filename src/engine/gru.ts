// GRU(D -> D) over a transformed sequence, read at one position per row (DUET.md: GRU4Rec's
// user state and the DUET generator's g). PyTorch's gate layout: r, z, n.
import * as tf from '@tensorflow/tfjs-core';
import { dense, matMul2d } from './layers';
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
  const xs = steps < L ? tf.slice(x, [0, 0, 0], [B, steps, D]) : x;
  const xT = tf.reshape(tf.transpose(xs, [1, 0, 2]), [steps * B, D]); // time-major rows
  const readT = tf.transpose(steps < L ? tf.slice(read, [0, 0], [B, steps]) : read); // [steps, B]
  return gruRecurrence(xT, w.Wi, w.bi, readT, w.Wh, w.bh);
}

/** The step-by-step autodiff version of gruAtRead: the reference its tests compare against. */
export function gruAtReadReference(x: tf.Tensor, read: tf.Tensor, steps: number, w: GruWeights): tf.Tensor2D {
  const [B, L, D] = (x as tf.Tensor3D).shape;
  const xs = steps < L ? tf.slice(x, [0, 0, 0], [B, steps, D]) : x;
  // The input projection for every step in one matmul (PERF.md, point 3).
  const gi = tf.transpose(dense(xs, w.Wi, w.bi), [1, 0, 2]); // [steps, B, 3D]
  const giSteps = tf.unstack(gi); // steps x [B, 3D]
  const readSteps = tf.unstack(tf.transpose(tf.slice(read, [0, 0], [B, steps]))); // steps x [B]
  let h: tf.Tensor = tf.zeros([B, D]);
  let out: tf.Tensor = tf.zeros([B, D]);
  for (let t = 0; t < steps; t++) {
    const gh = tf.add(matMul2d(h, w.Wh), w.bh); // [B, 3D]
    const [iRz, iN] = tf.split(giSteps[t], [2 * D, D], 1);
    const [hRz, hN] = tf.split(gh, [2 * D, D], 1);
    const [r, z] = tf.split(tf.sigmoid(tf.add(iRz, hRz)), 2, 1);
    const n = tf.tanh(tf.add(iN, tf.mul(r, hN)));
    h = tf.add(n, tf.mul(z, tf.sub(h, n))); // (1 - z) n + z h
    out = tf.add(out, tf.mul(h, tf.expandDims(readSteps[t], 1)));
  }
  return out as tf.Tensor2D;
}
