// Micro-benchmark of our `speed` WASM kernels (copies, Tanh, Sum, Equal), stock vs ours, at the GRU's
// shapes (batch 256, L = 30, D = 32 and the 3 gates):
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/kernels.ts
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/backend';
import { registerKernels } from '../src/engine/kernels/index';

const B = 256;
const L = 30;
const D = 32;

const cases: [string, (x: tf.Tensor3D) => tf.Tensor | tf.Tensor[]][] = [
  ['unstack [B, L, 3D] on axis 1', (x) => tf.unstack(x, 1)],
  ['split [B, L, 3D] into 3 gates on axis 2', (x) => tf.split(x, 3, 2)],
  ['slice one step [B, 1, 3D]', (x) => tf.slice(x, [0, 7, 0], [B, 1, 3 * D])],
  ['concat 30 x [B, 1, 3D] on axis 1', (x) => tf.concat(tf.split(x, L, 1), 1)],
  ['tanh [B, L, 3D]', (x) => tf.tanh(x)],
  ['tanh [B, D] (one GRU step)', (x) => tf.tanh(tf.slice(x, [0, 0, 0], [B, 1, D]))],
  ['sum [B, L, 3D] over axes 0, 1 (a bias gradient)', (x) => tf.sum(x, [0, 1])],
  ['sum [B, L, 3D] over axis 0', (x) => tf.sum(x, 0)],
];
const gatherCases: [string, () => tf.Tensor][] = [];

function time(f: () => tf.Tensor | tf.Tensor[], repeats: number): number {
  tf.dispose(f());
  const start = performance.now();
  for (let r = 0; r < repeats; r++) tf.dispose(f());
  return (performance.now() - start) / repeats;
}

await initBackend('wasm');
const table = tf.randomNormal([6001, D]);
const items = tf.randomUniform([B * L], 0, 6001, 'int32');
gatherCases.push(['gather E[6001, D] rows for [B * L] items', () => tf.gather(table, items)]);
const scores = tf.randomNormal([B, L, 4]);
const maxima = tf.max(scores, 1, true);
gatherCases.push(['equal [B, L, 4] vs [B, 1, 4] (softmax max mask)', () => tf.equal(scores, maxima)]);
const x = tf.randomNormal([B, L, 3 * D]) as tf.Tensor3D;
console.log('| op | stock ms | ours ms | speed-up |\n|---|---:|---:|---:|');
for (const [name, f] of cases) {
  registerKernels('wasm', { replaceStock: false });
  const stock = time(() => f(x), 20);
  registerKernels('wasm', { replaceStock: true });
  const ours = time(() => f(x), 20);
  console.log(`| ${name} | ${stock.toFixed(3)} | ${ours.toFixed(3)} | ${(stock / ours).toFixed(1)}x |`);
}
for (const [name, f] of gatherCases) {
  registerKernels('wasm', { replaceStock: false });
  const stock = time(f, 20);
  registerKernels('wasm', { replaceStock: true });
  const ours = time(f, 20);
  console.log(`| ${name} | ${stock.toFixed(3)} | ${ours.toFixed(3)} | ${(stock / ours).toFixed(1)}x |`);
}
