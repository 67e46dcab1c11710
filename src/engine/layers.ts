// Small tensor building blocks shared by the backbones and the generator.
// Hot matmuls go through matMul2d: a plain 2-D matMul whose backward is two 2-D matMuls with a
// transposed operand (dy b^T, a^T dy), which our wasm matMul (kernels/matmul.ts) runs without
// copying the transposed left operand; other backends take the flags natively
// (docs/architecture.md#speed, point 1).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { layerNormAvailable, layerNormFused } from './kernels/layernorm';
import { recordingGradients } from './kernels/recording';
import { denseRow } from './kernels/dense-row';
import { biasTanh, biasTanhAvailable } from './kernels/bias-tanh';

const matMul2dOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const a = args[0] as tf.Tensor2D;
  const b = args[1] as tf.Tensor2D;
  const save = args[2] as tf.GradSaveFunc;
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, saved[1] as tf.Tensor2D, false, true),
      tf.matMul(saved[0] as tf.Tensor2D, dy as tf.Tensor2D, true, false),
    ],
  };
});

/** [n, k] x [k, m] -> [n, m] */
export function matMul2d(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (!recordingGradients()) return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  return matMul2dOp(a, b) as tf.Tensor2D;
}

/** x W + b over the last axis, for x of any rank: [..., in] -> [..., out]. */
export function dense(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const row = b && !recordingGradients() ? denseRow(x, w, b, 'linear') : undefined; // a device click: one launch
  if (row) return row;
  const [inDim, outDim] = (w as tf.Tensor2D).shape;
  const flat = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
  let y: tf.Tensor = matMul2d(flat, w);
  if (b) y = tf.add(y, b);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
}

/** relu(x W + b) over the last axis, for x of any rank. */
export function denseRelu(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return (!recordingGradients() ? denseRow(x, w, b, 'relu') : undefined) ?? tf.relu(dense(x, w, b));
}

/** tanh(x W + b) over the last axis, for x of any rank; bias and tanh fused on wasm (kernels/bias-tanh.ts). */
export function denseTanh(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (!biasTanhAvailable()) return tf.tanh(dense(x, w, b));
  const [inDim, outDim] = (w as tf.Tensor2D).shape;
  const y = biasTanh(matMul2d(x.rank === 2 ? x : tf.reshape(x, [-1, inDim]), w), b);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
}

/** Layer normalisation over the last axis (eps as PyTorch's default). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  if (layerNormAvailable()) return layerNormFused(x, gamma, beta, eps); // one SIMD kernel each way (wasm)
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** Picks one position per row: x [B, L, D], oneHot [B, L] -> [B, D]. Elementwise, so cheap to differentiate. */
export function selectPosition(x: tf.Tensor, oneHot: tf.Tensor): tf.Tensor2D {
  const [B, L, D] = (x as tf.Tensor3D).shape;
  // one row outside a gradient (a device click): one launch, oneHot [1, L] x x [L, D]; exact,
  // as the sum is of x at the read position and zeros
  if (B === 1 && !recordingGradients()) return tf.matMul(oneHot as tf.Tensor2D, tf.reshape(x, [L, D]) as tf.Tensor2D);
  return tf.sum(tf.mul(x, tf.expandDims(oneHot, 2)), 1) as tf.Tensor2D;
}

/**
 * Mean sigmoid cross-entropy from logits: softplus(z) - y z, written stably. Its gradient is
 * written out, (sigmoid(z) - y) / n (3 launches instead of autodiff's ~15 through the stable form).
 */
export function sigmoidCrossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const z = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([z]);
    const positivePart = tf.relu(z);
    const logTerm = tf.log1p(tf.exp(tf.neg(tf.abs(z))));
    return {
      value: tf.mean(tf.add(tf.sub(positivePart, tf.mul(z, labels)), logTerm)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.sub(tf.sigmoid(saved[0]), labels), tf.div(dy, saved[0].size)),
    };
  });
  return op(logits) as tf.Scalar;
}
