// DIN (docs/method.md#the-backbones): target attention of t over h, pooled into p, then a scoring
// MLP over [p, t] with hidden 128 and 64, then 1. The attention MLP (80, 40, ReLU) and the
// softmax over non-pad positions are our choices; the paper's DIN uses PReLU/Dice and
// unnormalised weights.
import * as tf from '@tensorflow/tfjs-core';
import { dense } from './layers';
import type { ParamSpec } from './params';
import type { LayerShape } from './generator';

export const DIN_ATTENTION = [80, 40];
export const DIN_HIDDEN = [128, 64];
/** DUET-DIN generates the scoring MLP's last two layers: 128 -> 64 and 64 -> 1. */
export const DIN_GENERATED: LayerShape[] = [
  [DIN_HIDDEN[0], DIN_HIDDEN[1]],
  [DIN_HIDDEN[1], 1],
];

export function dinSpecs(dim: number, generated: boolean): ParamSpec[] {
  const layer = (name: string, inDim: number, outDim: number): ParamSpec[] => [
    { name: `${name}.W`, shape: [inDim, outDim], init: 'xavier' },
    { name: `${name}.b`, shape: [outDim], init: 'zeros' },
  ];
  return [
    ...layer('din.att1', 4 * dim, DIN_ATTENTION[0]),
    ...layer('din.att2', DIN_ATTENTION[0], DIN_ATTENTION[1]),
    ...layer('din.att3', DIN_ATTENTION[1], 1),
    ...layer('din.mlp1', 2 * dim, DIN_HIDDEN[0]),
    ...(generated ? [] : [...layer('din.mlp2', DIN_HIDDEN[0], DIN_HIDDEN[1]), ...layer('din.mlp3', DIN_HIDDEN[1], 1)]),
  ];
}

type Get = (name: string) => tf.Tensor;

/** The first scoring layer's output x1 [B, 128] from h [B, L, D], t [B, D], mask [B, L]. */
export function dinHidden(get: Get, h: tf.Tensor, t: tf.Tensor, mask: tf.Tensor): tf.Tensor2D {
  const [B, L] = h.shape;
  const tt = tf.tile(tf.expandDims(t, 1), [1, L, 1]); // [B, L, D]
  const features = tf.concat([h, tt, tf.sub(h, tt), tf.mul(h, tt)], 2); // [B, L, 4D]
  let a = tf.relu(dense(features, get('din.att1.W'), get('din.att1.b')));
  a = tf.relu(dense(a, get('din.att2.W'), get('din.att2.b')));
  const logits = tf.reshape(dense(a, get('din.att3.W'), get('din.att3.b')), [B, L]);
  const weights = tf.softmax(tf.add(logits, tf.mul(tf.sub(1, mask), -1e9))); // [B, L]
  const pooled = tf.sum(tf.mul(h, tf.expandDims(weights, 2)), 1); // [B, D]
  return tf.relu(dense(tf.concat([pooled, t], 1), get('din.mlp1.W'), get('din.mlp1.b'))) as tf.Tensor2D;
}

/** Base DIN's static last two layers: x1 [B, 128] -> logit [B]. */
export function dinStaticScore(get: Get, x1: tf.Tensor): tf.Tensor1D {
  const x2 = tf.relu(dense(x1, get('din.mlp2.W'), get('din.mlp2.b')));
  return tf.reshape(dense(x2, get('din.mlp3.W'), get('din.mlp3.b')), [-1]) as tf.Tensor1D;
}
