// SASRec encoder (docs/method.md#the-backbones): post-norm Transformer layers, FFN 4D with ReLU,
// no dropout. The last layer runs attention and the FFN for the read position's query row
// only (exact: nothing else of it is used; docs/architecture.md#speed, point 4).
import * as tf from '@tensorflow/tfjs-core';
import { dense, denseRelu, layerNorm, selectPosition } from './layers';
import type { ParamSpec } from './params';
import { attendRow, attendRowAvailable } from './kernels/attention';
import { clickRowApplies, sasrecReadRow } from './kernels/click-row';

export function sasrecSpecs(dim: number, layers: number): ParamSpec[] {
  const specs: ParamSpec[] = [];
  for (let l = 0; l < layers; l++) {
    const p = `enc${l}`;
    for (const m of ['q', 'k', 'v', 'o']) {
      specs.push({ name: `${p}.W${m}`, shape: [dim, dim], init: 'xavier' }, { name: `${p}.b${m}`, shape: [dim], init: 'zeros' });
    }
    specs.push(
      { name: `${p}.ln1.g`, shape: [dim], init: 'ones' },
      { name: `${p}.ln1.b`, shape: [dim], init: 'zeros' },
      { name: `${p}.ff1.W`, shape: [dim, 4 * dim], init: 'xavier' },
      { name: `${p}.ff1.b`, shape: [4 * dim], init: 'zeros' },
      { name: `${p}.ff2.W`, shape: [4 * dim, dim], init: 'xavier' },
      { name: `${p}.ff2.b`, shape: [dim], init: 'zeros' },
      { name: `${p}.ln2.g`, shape: [dim], init: 'ones' },
      { name: `${p}.ln2.b`, shape: [dim], init: 'zeros' },
    );
  }
  return specs;
}

type Get = (name: string) => tf.Tensor;

/** Softmax over `axis` with an additive mask already applied. */
function softmaxAxis(scores: tf.Tensor, axis: number): tf.Tensor {
  const shifted = tf.sub(scores, tf.max(scores, axis, true));
  const e = tf.exp(shifted);
  return tf.div(e, tf.sum(e, axis, true));
}

/** Post-norm residual blocks around the attention output for the given query rows. */
function finishLayer(get: Get, p: string, query: tf.Tensor, attended: tf.Tensor): tf.Tensor {
  const y = layerNorm(tf.add(query, dense(attended, get(`${p}.Wo`), get(`${p}.bo`))), get(`${p}.ln1.g`), get(`${p}.ln1.b`));
  const ff = dense(denseRelu(y, get(`${p}.ff1.W`), get(`${p}.ff1.b`)), get(`${p}.ff2.W`), get(`${p}.ff2.b`));
  return layerNorm(tf.add(y, ff), get(`${p}.ln2.g`), get(`${p}.ln2.b`));
}

/** A full layer (all query rows), used below the last layer: x [B, L, D] -> [B, L, D]. */
function fullLayer(get: Get, p: string, x: tf.Tensor, maskBias: tf.Tensor | null, heads: number): tf.Tensor {
  const [B, L, D] = x.shape;
  const dh = D / heads;
  const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [B, L, heads, dh]), [0, 2, 1, 3]); // [B, H, L, dh]
  const q = split(dense(x, get(`${p}.Wq`), get(`${p}.bq`)));
  const k = split(dense(x, get(`${p}.Wk`), get(`${p}.bk`)));
  const v = split(dense(x, get(`${p}.Wv`), get(`${p}.bv`)));
  let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh)); // [B, H, L, L]
  if (maskBias) scores = tf.add(scores, tf.reshape(maskBias, [B, 1, 1, L]));
  const attended = tf.matMul(softmaxAxis(scores, 3), v); // [B, H, L, dh]
  return finishLayer(get, p, x, tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [B, L, D]));
}

/** The last layer for one query row per sequence: x [B, L, D], xRead [B, D] -> [B, D]. */
function readRowLayer(get: Get, p: string, x: tf.Tensor, xRead: tf.Tensor, maskBias: tf.Tensor | null, heads: number): tf.Tensor {
  const q = dense(xRead, get(`${p}.Wq`), get(`${p}.bq`));
  // fused kernels on wasm (kernels/attention.ts): no key or value projections, one launch each way
  const attended = attendRowAvailable()
    ? attendRow(x, q, get(`${p}.Wk`), get(`${p}.bk`), get(`${p}.Wv`), get(`${p}.bv`), maskBias, heads)
    : attendRowOps(get, p, x, q, maskBias, heads);
  return finishLayer(get, p, xRead, attended);
}

/** The same attention op by op (any backend): x [B, L, D], q [B, D] -> [B, D]. */
function attendRowOps(get: Get, p: string, x: tf.Tensor, query: tf.Tensor, maskBias: tf.Tensor | null, heads: number): tf.Tensor {
  const [B, L, D] = x.shape;
  const dh = D / heads;
  const q = tf.reshape(query, [B, 1, heads, dh]);
  const k = tf.reshape(dense(x, get(`${p}.Wk`), get(`${p}.bk`)), [B, L, heads, dh]);
  const v = tf.reshape(dense(x, get(`${p}.Wv`), get(`${p}.bv`)), [B, L, heads, dh]);
  // Elementwise product + sum instead of a batched matmul (docs/architecture.md#speed, point 1).
  let scores = tf.div(tf.sum(tf.mul(q, k), 3), Math.sqrt(dh)); // [B, L, H]
  if (maskBias) scores = tf.add(scores, tf.reshape(maskBias, [B, L, 1]));
  const weights = softmaxAxis(scores, 1); // [B, L, H]
  return tf.reshape(tf.sum(tf.mul(tf.expandDims(weights, 3), v), 1), [B, D]); // [B, D]
}

/**
 * User state s: encoder output at the read position. h [B, L, D]; read, mask [B, L].
 * With maskPadding, padded keys get -1e9 before the softmax (the reference masks nothing).
 */
export function sasrecState(
  get: Get,
  h: tf.Tensor,
  read: tf.Tensor,
  mask: tf.Tensor,
  layers: number,
  heads: number,
  maskPadding: boolean,
): tf.Tensor2D {
  const oneRow = clickRowApplies(h.shape[0]); // a device click: the last layer in one launch (kernels/click-row.ts)
  const maskBias = maskPadding && (layers > 1 || !oneRow) ? tf.mul(tf.sub(1, mask), -1e9) : null; // [B, L]
  let x = h;
  for (let l = 0; l < layers - 1; l++) x = fullLayer(get, `enc${l}`, x, maskBias, heads);
  if (oneRow) return sasrecReadRow(x, read, maskPadding ? mask : null, (name) => get(`enc${layers - 1}.${name}`), heads);
  const xRead = selectPosition(x, read);
  return readRowLayer(get, `enc${layers - 1}`, x, xRead, maskBias, heads) as tf.Tensor2D;
}
