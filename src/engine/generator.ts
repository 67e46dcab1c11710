// The DUET generator (docs/method.md#duet-the-generated-layers) and the Stable Weight Adapter.
// g -> z = Dense(tanh(Dense(g))) -> for each dynamic layer i: W_i = reshape(z A_i + a_i),
// b_i = z B_i + c_i. Per-row layers are applied as 2-D matmuls on outer products z (x) x
// instead of materialising a [B, in, out] weight (docs/architecture.md#speed, point 1).
import * as tf from '@tensorflow/tfjs-core';
import { dense, denseTanh, matMul2d } from './layers';
import type { ParamSpec } from './params';
import { gruSpecs } from './gru';
import { generatedDenseAvailable, generatedDenseFused, generatedLayerFused } from './kernels/generated';

/** [in, out] of a dynamic layer. */
export type LayerShape = [number, number];

export function generatorSpecs(dim: number, layers: LayerShape[], generators: number, scale: number): ParamSpec[] {
  const specs: ParamSpec[] = [
    ...gruSpecs('gen.gru', dim),
    { name: 'gen.z.W1', shape: [dim, dim], init: 'xavier' },
    { name: 'gen.z.b1', shape: [dim], init: 'zeros' },
    { name: 'gen.z.W2', shape: [dim, dim], init: 'xavier' },
    { name: 'gen.z.b2', shape: [dim], init: 'zeros' },
  ];
  for (let k = 0; k < generators; k++) {
    layers.forEach(([inDim, outDim], i) => {
      const p = `gen${k}.layer${i + 1}`;
      specs.push(
        { name: `${p}.A`, shape: [dim, inDim * outDim], init: 'normal-mod2', projection: true, scale },
        { name: `${p}.a`, shape: [inDim * outDim], init: 'normal-mod2', projection: true, scale },
        { name: `${p}.B`, shape: [dim, outDim], init: 'normal-mod2', projection: true, scale },
        { name: `${p}.c`, shape: [outDim], init: 'normal-mod2', projection: true, scale },
      );
    });
  }
  return specs;
}

type Get = (name: string) => tf.Tensor;

export interface Projection {
  /** [D, in*out] */
  A: tf.Tensor;
  /** [in*out] */
  a: tf.Tensor;
  /** [D, out] */
  B: tf.Tensor;
  /** [out] */
  c: tf.Tensor;
}

/** z [B, D] from the generator's GRU state g [B, D]. */
export function generatorCode(get: Get, g: tf.Tensor): tf.Tensor2D {
  return dense(denseTanh(g, get('gen.z.W1'), get('gen.z.b1')), get('gen.z.W2'), get('gen.z.b2')) as tf.Tensor2D;
}

/**
 * SWA mixing weights p [m] (docs/method.md#the-stable-weight-adapter-swa): S = F F^T over the flattened
 * first-layer projections A_1^(k); score = row sums of S divided by the entries of A_1 (so the
 * temperature does not depend on D); p = softmax(score / tau).
 */
export function swaWeights(get: Get, generators: number, temperature: number): tf.Tensor1D {
  const F = <tf.Tensor2D>tf.stack(Array.from({ length: generators }, (_, k) => tf.reshape(get(`gen${k}.layer1.A`), [-1]))); // [m, n]
  const S = tf.matMul(F, F, false, true); // [m, m]
  const score = tf.div(tf.sum(S, 1), F.shape[1] * temperature);
  return tf.softmax(score) as tf.Tensor1D;
}

/** The projections of dynamic layer `layer` (1-based): one generator's, or the SWA mix. */
export function projection(get: Get, layer: number, mix: tf.Tensor1D | null, generators: number): Projection {
  const one = (k: number, part: string) => get(`gen${k}.layer${layer}.${part}`);
  const mixed = (part: string): tf.Tensor => {
    if (!mix) return one(0, part);
    const parts = Array.from({ length: generators }, (_, k) => one(k, part));
    const flat = tf.stack(parts.map((t) => tf.reshape(t, [-1]))); // [m, n]
    return tf.reshape(matMul2d(tf.reshape(mix, [1, generators]), flat), parts[0].shape);
  };
  return { A: mixed('A'), a: mixed('a'), B: mixed('B'), c: mixed('c') };
}

/** x W(z) + b(z) with a different generated layer per row: x [B, in], z [B, D] -> [B, out]. */
export function generatedDense(x: tf.Tensor, z: tf.Tensor, proj: Projection, shape: LayerShape): tf.Tensor2D {
  // one matmul over [z (x) x | x | z] on wasm (kernels/generated.ts)
  if (generatedDenseAvailable()) return generatedDenseFused(x, z, proj.A, proj.a, proj.B, proj.c);
  const [inDim, outDim] = shape;
  const [B, D] = z.shape;
  const outer = tf.reshape(tf.mul(tf.expandDims(z, 2), tf.expandDims(x, 1)), [B, D * inDim]); // [B, D*in], row m*in + j
  const weight = matMul2d(outer, tf.reshape(proj.A, [D * inDim, outDim])); // sum_m z_m x A_m
  const fixed = matMul2d(x, tf.reshape(proj.a, [inDim, outDim]));
  const bias = tf.add(matMul2d(z, proj.B), proj.c);
  return tf.add(tf.add(weight, fixed), bias) as tf.Tensor2D;
}

/** The generated layer itself for each row, W then b: [B, in*out + out] (W row-major [in, out]). */
export function generatedLayer(z: tf.Tensor, proj: Projection): tf.Tensor2D {
  const fused = generatedLayerFused(z, proj.A, proj.a, proj.B, proj.c); // one SIMD kernel on wasm
  if (fused) return fused;
  return tf.concat([tf.add(matMul2d(z, proj.A), proj.a), tf.add(matMul2d(z, proj.B), proj.c)], 1) as tf.Tensor2D;
}
