import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/backend';
import { openClickRunner } from './workload';
import { adaptAndRank } from '../src/engine/session';
await initBackend('wasm', { replaceWasmKernels: true });
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const runner = openClickRunner('sasrec');
for (let i = 0; i < 50; i++) await runner.click({ kind: 'duet' }, i);
const times: number[] = [];
for (let i = 0; i < 400; i++) { const t0 = performance.now(); await runner.click({ kind: 'duet' }, i); times.push(performance.now() - t0); }
times.sort((a, b) => a - b);
console.log('p50', times[200].toFixed(3));
