// The GRU recurrence alone (gruAtRead, forward + backward) at the training shape: B = 256,
// L = 30, D = 32. Prints the median CPU ms of this process per call (process.cpuUsage: less
// sensitive than wall time to other load on a shared machine); --ab-simd interleaves SIMD and
// JS loops. --profile: kernel time by kernel.
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/gru.ts [--ab-simd]
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/backend';
import { gruAtRead } from '../src/engine/gru';

const [B, L, D] = [256, 30, 32];
await initBackend('wasm');
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const x = tf.randomNormal([B, L, D]);
const positions = new Int32Array(B).fill(L - 1); // every sequence full
const w = {
  Wi: tf.randomNormal([D, 3 * D], 0, 0.2),
  bi: tf.zeros([3 * D]),
  Wh: tf.randomNormal([D, 3 * D], 0, 0.2),
  bh: tf.zeros([3 * D]),
};
const loss = (xv: tf.Tensor, wi: tf.Tensor, wh: tf.Tensor) => tf.sum(gruAtRead(xv, positions, { ...w, Wi: wi, Wh: wh })) as tf.Scalar;
const grads = tf.grads(loss);

function once(): void {
  const g = grads([x, w.Wi, w.Wh]);
  g[0].dataSync();
  tf.dispose(g);
}

function round(reps: number): number {
  const start = process.cpuUsage();
  for (let r = 0; r < reps; r++) once();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / reps;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let i = 0; i < 4; i++) round(2);
if (process.argv.includes('--profile')) {
  const info = await tf.profile(() => once());
  const byKernel = new Map<string, [number, number]>();
  for (const k of info.kernels) {
    const [ms, calls] = byKernel.get(k.name) ?? [0, 0];
    byKernel.set(k.name, [ms + (k.kernelTimeMs as number), calls + 1]);
  }
  for (const [name, [ms, calls]] of [...byKernel].sort((a, b) => b[1][0] - a[1][0]))
    console.log(`${name.padEnd(20)} ${ms.toFixed(2).padStart(8)} ms ${String(calls).padStart(5)} calls`);
}
if (process.argv.includes('--ab-simd')) {
  const { setSimdKernelsEnabled } = await import('../src/engine/kernels/simd/index');
  const times = { js: [] as number[], simd: [] as number[] };
  for (let i = 0; i < 7; i++) {
    setSimdKernelsEnabled(false);
    times.js.push(round(3));
    setSimdKernelsEnabled(true);
    times.simd.push(round(3));
  }
  console.log(
    `GRU fwd+bwd ms (median of 7 interleaved rounds): JS loops ${median(times.js).toFixed(2)}, SIMD ${median(times.simd).toFixed(2)}`,
  );
} else {
  const times = Array.from({ length: 7 }, () => round(3));
  console.log(`GRU fwd+bwd ms (median of 7 rounds): ${median(times).toFixed(2)} [${times.map((t) => t.toFixed(1)).join(' ')}]`);
}
