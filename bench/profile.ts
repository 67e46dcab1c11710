// Where DUET-SASRec training time goes on tfjs-wasm in Node (bench/README.md is the map):
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/profile.ts [backbone] [method] [--stock-kernels] [--ab] [--ab-simd] [--by-shape] [--log]
// Prints ms/step, the kernel time by kernel name (tf.profile), and what is left: per-op
// overhead in JS (engine bookkeeping, autodiff, Adam) that no kernel accounts for.
// --ab: before/after of our `speed` kernels (copies, Tanh), interleaved rounds (the machine is
// shared: medians). --ab-simd: the SIMD GRU/Tanh code against the JavaScript loops.
// --by-shape: one row per kernel and input shapes (which matmul is which). Our ops that are
// tf.customGrad show up as "forward" rows whose time includes the kernels they run.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/backend';
import { registerKernels } from '../src/engine/kernels/index';
import { setSimdKernelsEnabled } from '../src/engine/kernels/simd/index';
import type { ModelMethod } from '../src/engine/model';
import type { Backbone } from '../src/engine/types';
import { openTrainingWorkload, runSteps } from './workload';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const backbone = (args[0] ?? 'sasrec') as Backbone;
const method = (args[1] ?? 'duet') as ModelMethod;
const stockKernels = process.argv.includes('--stock-kernels');
const steps = Number(process.env.PROFILE_STEPS ?? 6);
const byShape = process.argv.includes('--by-shape');

await initBackend('wasm', { replaceWasmKernels: !stockKernels });
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const workload = openTrainingWorkload(backbone, method, process.argv.includes('--log') ? 'log' : 'synthetic', 4);
const { size, model, optimizer, hosts } = workload;

await runSteps(model, optimizer, hosts, 2);

const abSimd = process.argv.includes('--ab-simd');
if (process.argv.includes('--ab') || abSimd) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rounds: Record<'stock' | 'ours', number[]> = { stock: [], ours: [] };
  for (let round = 0; round < 5; round++) {
    for (const variant of ['stock', 'ours'] as const) {
      if (abSimd) setSimdKernelsEnabled(variant === 'ours');
      else registerKernels('wasm', { replaceStock: variant === 'ours' });
      await runSteps(model, optimizer, hosts, 1);
      const t0 = performance.now();
      await runSteps(model, optimizer, hosts, steps);
      rounds[variant].push((size.batchSize * steps * 1000) / (performance.now() - t0));
    }
  }
  const stock = median(rounds.stock);
  const ours = median(rounds.ours);
  const [before, after] = abSimd ? ['JS loops', 'SIMD'] : ['stock kernels', 'ours'];
  console.log(
    `${method}-${backbone} samples/s, median of 5 interleaved rounds of ${steps} steps: ${before} ${stock.toFixed(0)}, ${after} ${ours.toFixed(0)} (${(ours / stock).toFixed(2)}x)`,
  );
  console.log(`  rounds stock ${rounds.stock.map((x) => x.toFixed(0)).join(' ')}; ours ${rounds.ours.map((x) => x.toFixed(0)).join(' ')}`);
  setSimdKernelsEnabled(true);
  registerKernels('wasm', { replaceStock: !stockKernels });
}
const start = performance.now();
await runSteps(model, optimizer, hosts, steps);
const msPerStep = (performance.now() - start) / steps;

const byKernel = new Map<string, { ms: number; calls: number }>();
const profiled = byShape ? 4 : 2;
let kernelCalls = 0;
for (let s = 0; s < profiled; s++) {
  const info = await tf.profile(() => runSteps(model, optimizer, hosts, 1, s));
  for (const k of info.kernels) {
    const key = byShape ? `${k.name} ${JSON.stringify(k.inputShapes).slice(0, 80)}` : k.name;
    const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += (k.kernelTimeMs as number) / profiled;
    entry.calls += 1 / profiled;
    byKernel.set(key, entry);
    kernelCalls += 1 / profiled;
  }
}
const kernelMs = [...byKernel.values()].reduce((a, b) => a + b.ms, 0);
console.log(
  `${method}-${backbone} on wasm (${stockKernels ? 'stock' : 'our'} copy kernels), batch ${size.batchSize}: ` +
    `${msPerStep.toFixed(1)} ms/step = ${((size.batchSize * 1000) / msPerStep).toFixed(0)} samples/s`,
);
console.log(
  `kernels: ${kernelCalls.toFixed(0)} calls/step, ${kernelMs.toFixed(1)} ms inside kernels; ` +
    `the other ${Math.max(0, msPerStep - kernelMs).toFixed(1)} ms is JS overhead (engine, autodiff, batching, Adam bookkeeping)`,
);
console.log('\n| kernel | ms/step | share | calls/step | us/call |\n|---|---:|---:|---:|---:|');
for (const [name, { ms, calls }] of [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(
    `| ${name} | ${ms.toFixed(2)} | ${((100 * ms) / msPerStep).toFixed(1)}% | ${calls.toFixed(0)} | ${((1000 * ms) / calls).toFixed(0)} |`,
  );
}
workload.dispose();
