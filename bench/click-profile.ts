// Where one DUET click's time goes (tfjs-wasm in Node): kernel launches by name (tf.profile)
// and in-process click ms p50 over many clicks, the same click bench/workload.ts times.
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/click-profile.ts [clicks] [--by-shape] [--ab-click-row] [--ab-dense-row]
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/backend';
import { openClickRunner } from './workload';

const clicks = Number(process.argv[2] ?? 300);
await initBackend('wasm', { replaceWasmKernels: true });
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const runner = openClickRunner('sasrec');
const duet = { kind: 'duet' } as const;
for (let i = 0; i < 20; i++) await runner.click(duet, i);

const info = await tf.profile(async () => {
  await runner.click(duet, 7);
});
const byName = new Map<string, { n: number; ms: number }>();
for (const k of info.kernels) {
  const row = byName.get(k.name) ?? { n: 0, ms: 0 };
  row.n++;
  row.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  byName.set(k.name, row);
}
for (const k of info.kernels)
  if (process.argv.includes('--by-shape'))
    console.log(`    ${k.name} ${JSON.stringify(k.inputShapes)} ${typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs.toFixed(3) : ''}`);
console.log(`kernel launches per DUET click: ${info.kernels.length}`);
for (const [name, { n, ms }] of [...byName].sort((a, b) => b[1].ms - a[1].ms))
  console.log(`  ${name.padEnd(28)} ${String(n).padStart(3)}  ${ms.toFixed(3)} ms`);

const times: number[] = [];
const tensorsBefore = tf.memory().numTensors;
for (let c = 0; c < clicks; c++) {
  const t0 = performance.now();
  await runner.click(duet, c);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
console.log(
  `DUET click ms over ${clicks}: p50 ${q(0.5).toFixed(3)}, p95 ${q(0.95).toFixed(3)}; tensors leaked ${tf.memory().numTensors - tensorsBefore}`,
);
runner.dispose();

/** A kernel switched on and off in interleaved blocks of 100 clicks: the p50 of each block. */
async function abBlocks(name: string, setEnabled: (on: boolean) => void): Promise<void> {
  const ab = openClickRunner('sasrec');
  const p50: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let round = 0; round < 6; round++) {
    for (const variant of ['off', 'on'] as const) {
      setEnabled(variant === 'on');
      await ab.click(duet, 0);
      const block: number[] = [];
      for (let c = 0; c < 100; c++) {
        const t0 = performance.now();
        await ab.click(duet, c);
        block.push(performance.now() - t0);
      }
      block.sort((a, b) => a - b);
      p50[variant].push(block[50]);
    }
  }
  setEnabled(true);
  ab.dispose();
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(' ');
  console.log(`${name} off: p50 per block ${fmt(p50.off)}\n${name} on:  p50 per block ${fmt(p50.on)}`);
}

// --ab-dense-row: the one-row dense kernel on and off (with the one-sequence kernels off: they replace it)
if (process.argv.includes('--ab-dense-row')) {
  const { setDenseRowEnabled } = await import('../src/engine/kernels/dense-row');
  const { setClickRowEnabled } = await import('../src/engine/kernels/click-row');
  setClickRowEnabled(false);
  await abBlocks('DenseRow', setDenseRowEnabled);
  setClickRowEnabled(true);
}

// --ab-click-row: the one-sequence kernels (HistoryRow, SasrecReadRow, GeneratedClickRow) on and off
if (process.argv.includes('--ab-click-row')) {
  const { setClickRowEnabled } = await import('../src/engine/kernels/click-row');
  await abBlocks('click-row kernels', setClickRowEnabled);
}
