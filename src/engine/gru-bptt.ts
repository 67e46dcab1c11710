// The GRU recurrence as one tf.customGrad op with backprop through time written by hand
// (docs/method.md, the GRU). Autodiff of the step loop recorded ~50 small kernels per step;
// here the forward runs with the tape off, the input projection is one matmul over all steps,
// and on wasm and cpu all the steps are one kernel each way (kernels/gru-step.ts: SIMD gate
// arithmetic on wasm, the backend's matMul in between). Other backends (webgl, webgpu) run
// the same maths op by op.
//
// Per step, with gh = h Wh + bh and gi = x Wi + bi (PyTorch layout r, z, n):
//   [r, z] = sigmoid(gi_rz + gh_rz),  n = tanh(gi_n + r gh_n),  h' = n + z (h - n).
// Backward, dh the gradient at h' (the output's, read_t dOut, plus the next step's):
//   dz_pre = dh (h - n) z (1 - z)
//   dn_pre = dh (1 - z) (1 - n^2)
//   dr_pre = dn_pre gh_n r (1 - r)
//   dgi = [dr_pre, dz_pre, dn_pre],  dgh = [dr_pre, dz_pre, dn_pre r],  dh_prev = dh z + dgh Wh^T.
//
// Measured on tfjs-wasm (B = 256, D = 32), which shaped the code:
// - Stock Tanh is a scalar loop (~170 us) where Sigmoid is XNNPACK (~20 us): the op-by-op path
//   uses tanh(a) = 2 sigmoid(2a) - 1.
// - Only 2-D untransposed matmuls reach XNNPACK; a fused matMul with bias was slower than matMul + add.
//   Our wasm matMul (kernels/matmul.ts) reads a transposed left operand in place, so the
//   weight gradients are x^T dg with the transpose flag.
// - Stock Sum over axis 0 transposes first (our Sum kernel does not): a bias gradient over
//   [T B, 3D] rows cost ~2 ms; the backward kernel sums them as it goes.
// - Splitting or concatenating columns copies row by row; rows (time-major blocks) are one copy.
import * as tf from '@tensorflow/tfjs-core';
import { gruBackwardSteps, gruForwardSteps, hasGruStepKernels } from './kernels/gru-step';
import { recordingGradients } from './kernels/recording';

type SaveFunc = tf.GradSaveFunc;

/** [1, .., 1 (2D), 2, .., 2 (D)]: doubles the n gate's pre-activation for the tanh identity. */
function nGateDoubling(D: number): tf.Tensor1D {
  return tf.concat([tf.ones([2 * D]), tf.fill([D], 2)]) as tf.Tensor1D;
}

/** a^T dy and the column sums of dy from one matmul: [a^T; 1] dy = [dW; db]. */
function weightAndBiasGradients(a: tf.Tensor2D, dy: tf.Tensor2D): [tf.Tensor2D, tf.Tensor1D] {
  const [rows, cols] = a.shape;
  const both = tf.matMul(tf.concat([tf.transpose(a), tf.ones([1, rows])], 0) as tf.Tensor2D, dy);
  const [dW, db] = tf.split(both, [cols, 1], 0);
  return [dW as tf.Tensor2D, tf.reshape(db, [dy.shape[1]]) as tf.Tensor1D];
}

/**
 * What the backward needs, time-major ([T B, *], row block t is step t): rz = [r, z] [T B, 2D],
 * n and ghN = h Wh_n + bh_n [T B, D], and hAll [(T+1) B, D] = h_0 = 0, then each step's state.
 */
interface Trace {
  rz: tf.Tensor2D;
  n: tf.Tensor2D;
  ghN: tf.Tensor2D;
  hAll: tf.Tensor2D;
}

/** All the steps in one kernel (wasm, cpu), which also sums the states read into `out`. */
function traceFused(x: tf.Tensor2D, w: Weights, readT: tf.Tensor2D): Trace & { out: tf.Tensor2D } {
  const gi = tf.matMul(x, w.wi); // the input projection for every step in one matmul
  const [out, rz, n, ghN, hAll] = gruForwardSteps(gi, w.bi, w.bh, w.wh, readT);
  return { out, rz, n, ghN, hAll };
}

/** The steps op by op (any backend). */
function traceOps(x: tf.Tensor2D, w: Weights, T: number, B: number): Trace {
  const D = w.wh.shape[0];
  const doubling = nGateDoubling(D);
  const whScaled = tf.mul(w.wh, doubling) as tf.Tensor2D;
  const bhScaled = tf.mul(w.bh, doubling);
  const gi = tf.add(tf.matMul(x, tf.mul(w.wi, doubling) as tf.Tensor2D), tf.mul(w.bi, doubling));
  const giSteps = tf.split(gi, T, 0);
  const hs: tf.Tensor[] = [tf.zeros([B, D])];
  const [rzs, ns, ghNs]: tf.Tensor[][] = [[], [], []];
  for (let t = 0; t < T; t++) {
    const gh = tf.add(tf.matMul(hs[t] as tf.Tensor2D, whScaled), bhScaled);
    const [ghRz, ghN2] = tf.split(gh, [2 * D, D], 1);
    const [giRz, giN2] = tf.split(giSteps[t], [2 * D, D], 1);
    const rz = tf.sigmoid(tf.add(giRz, ghRz));
    const [r, z] = tf.split(rz, 2, 1);
    const n = tf.sub(tf.mul(tf.sigmoid(tf.add(giN2, tf.mul(r, ghN2))), 2), 1); // tanh(gi_n + r gh_n)
    hs.push(tf.add(n, tf.mul(z, tf.sub(hs[t], n))));
    rzs.push(rz);
    ns.push(n);
    ghNs.push(ghN2);
  }
  const [rz, n, ghN2, hAll] = [rzs, ns, ghNs, hs].map((parts) => tf.concat(parts, 0) as tf.Tensor2D);
  return { rz, n, ghN: tf.mul(ghN2, 0.5), hAll };
}

/** out = sum_t readT[t] h_t, op by op. */
function readOut(hAll: tf.Tensor2D, readT: tf.Tensor2D): tf.Tensor2D {
  const [T, B] = readT.shape;
  const D = hAll.shape[1];
  const hOut = tf.slice(hAll, [B, 0], [T * B, D]);
  return tf.sum(tf.reshape(tf.mul(hOut, tf.reshape(readT, [T * B, 1])), [T, B, D]), 0) as tf.Tensor2D;
}

function recurrentForward(x: tf.Tensor2D, w: Weights, readT: tf.Tensor2D, save: SaveFunc): tf.Tensor2D {
  const [T, B] = readT.shape;
  let trace: Trace;
  let out: tf.Tensor2D;
  if (hasGruStepKernels()) {
    ({ out, ...trace } = traceFused(x, w, readT));
  } else {
    trace = traceOps(x, w, T, B);
    out = readOut(trace.hAll, readT);
  }
  const { rz, n, ghN, hAll } = trace;
  save([rz, n, ghN, hAll, readT, x, w.wi, w.wh]);
  return out;
}

/**
 * All gradients with the backward kernel (wasm, cpu), which also sums the bias gradients as it
 * goes (Sum over axis 0 transposes first: ~2 ms on [T B, 3D]). The weight gradients are x^T dg
 * products with the transposed operand read in place (kernels/matmul.ts).
 */
function gradientsFused(dOut: tf.Tensor, saved: tf.Tensor2D[]): tf.Tensor[] {
  const [rz, n, ghN, hAll, readT, x, wi, wh] = saved;
  const [T, B] = readT.shape;
  const D = wh.shape[0];
  const [dgi, dgh, db] = gruBackwardSteps({ dOut, readT, rz, n, ghN, hAll, whT: tf.transpose(wh) });
  const [dbh, dbi] = tf.unstack(db);
  const dWh = tf.matMul(tf.slice(hAll, [0, 0], [T * B, D]) as tf.Tensor2D, dgh, true, false);
  const dWi = tf.matMul(x, dgi, true, false);
  const dx = tf.matMul(dgi, wi, false, true);
  return [dx, dWi, dbi, tf.zerosLike(readT), dWh, dbh];
}

/** dgh and dgi [T B, 3D] op by op (any backend); the factors of dh are computed for all steps at once. */
function stepGradients(dOut: tf.Tensor, saved: tf.Tensor2D[]): [tf.Tensor2D, tf.Tensor2D] {
  const [rz, n, ghN, hAll, readT, , , wh] = saved;
  const [T, B] = readT.shape;
  const D = wh.shape[0];
  const [r, z] = tf.split(rz, 2, 1);
  const hPrev = tf.slice(hAll, [0, 0], [T * B, D]);
  const oneMinusZ = tf.sub(1, z);
  const p1 = tf.mul(oneMinusZ, tf.sub(1, tf.square(n))); // dn_pre / dh
  const p2 = tf.mul(tf.mul(tf.sub(hPrev, n), z), oneMinusZ); // dz_pre / dh
  const p3 = tf.mul(tf.mul(p1, ghN), tf.mul(r, tf.sub(1, r))); // dr_pre / dh
  const [p1Steps, p2Steps, p3Steps, pnSteps, zSteps] = [p1, p2, p3, tf.mul(p1, r), z].map((p) => tf.split(p, T, 0));
  // The output's gradient enters every step through its read mask.
  const dOutSteps = tf.split(tf.reshape(tf.mul(tf.expandDims(readT, 2), dOut), [T * B, D]), T, 0);
  const whT = tf.transpose(wh);
  const dghs = new Array<tf.Tensor>(T);
  const dgis = new Array<tf.Tensor>(T);
  let carry: tf.Tensor | null = null;
  for (let t = T - 1; t >= 0; t--) {
    const dh: tf.Tensor = carry === null ? dOutSteps[t] : tf.add(carry, dOutSteps[t]);
    const dr = tf.mul(dh, p3Steps[t]);
    const dz = tf.mul(dh, p2Steps[t]);
    dghs[t] = tf.concat([dr, dz, tf.mul(dh, pnSteps[t])], 1);
    dgis[t] = tf.concat([dr, dz, tf.mul(dh, p1Steps[t])], 1);
    if (t > 0) carry = tf.add(tf.mul(dh, zSteps[t]), tf.matMul(dghs[t] as tf.Tensor2D, whT));
  }
  return [tf.concat(dghs, 0) as tf.Tensor2D, tf.concat(dgis, 0) as tf.Tensor2D];
}

/** Gradients of sum(dOut * out) w.r.t. x, Wi, bi, readT (zeros: the read mask is data), Wh and bh. */
function recurrentBackward(dOut: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] {
  if (hasGruStepKernels()) return gradientsFused(dOut, saved as tf.Tensor2D[]);
  const [, , , hAll, readT, x, wi, wh] = saved as tf.Tensor2D[];
  const [T, B] = readT.shape;
  const D = wh.shape[0];
  const [dgh, dgi] = stepGradients(dOut, saved as tf.Tensor2D[]);
  const [dWi, dbi] = weightAndBiasGradients(x, dgi);
  const [dWh, dbh] = weightAndBiasGradients(tf.slice(hAll, [0, 0], [T * B, D]), dgh);
  return [tf.matMul(dgi, tf.transpose(wi)), dWi, dbi, tf.zerosLike(readT), dWh, dbh];
}

interface Weights {
  wi: tf.Tensor2D;
  bi: tf.Tensor1D;
  wh: tf.Tensor2D;
  bh: tf.Tensor1D;
}

const recurrentOp = tf.customGrad((...args: (tf.Tensor | SaveFunc)[]) => {
  const [x, wi, bi, readT, wh, bh, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, SaveFunc];
  return { value: recurrentForward(x, { wi, bi, wh, bh }, readT, save), gradFunc: recurrentBackward };
});

/**
 * The GRU over time-major inputs x [T*B, D] (rows t*B .. t*B+B-1 are step t); returns
 * sum_t readT[t] * h_t, where readT [T, B] selects each row's state. Differentiable w.r.t. x,
 * Wi [D, 3D], bi [3D], Wh [D, 3D] and bh [3D].
 */
export function gruRecurrence(x: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, readT: tf.Tensor, wh: tf.Tensor, bh: tf.Tensor): tf.Tensor2D {
  if (!recordingGradients() && hasGruStepKernels()) {
    // nothing to differentiate (a device click): the forward kernel alone, no trace kept
    const gi = tf.matMul(x as tf.Tensor2D, wi as tf.Tensor2D);
    const [out, ...trace] = gruForwardSteps(gi, bi, bh, wh, readT);
    tf.dispose([gi, ...trace]);
    return out;
  }
  return recurrentOp(x, wi, bi, readT, wh, bh) as tf.Tensor2D;
}
