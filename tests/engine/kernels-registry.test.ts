// The one registration path for our kernels (src/engine/kernels/define.ts, index.ts) and the
// startup check on the tfjs version they were written for.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { OUR_KERNELS, registerKernels } from '../../src/engine/kernels/index';
import { assertTfjsVersion, tfjsVersionProblem, TFJS_VERSION_CHECKED } from '../../src/engine/kernels/version';

describe('tfjs version check', () => {
  it('accepts the version the kernels were written for (the installed one)', () => {
    expect(TFJS_VERSION_CHECKED).toBe('4.22.0');
    expect(tfjsVersionProblem({ core: '4.22.0', wasm: '4.22.0' })).toBeNull();
    expect(() => assertTfjsVersion()).not.toThrow();
  });
  it('refuses any other with a sentence naming both versions and what to do', () => {
    const problem = tfjsVersionProblem({ core: '4.23.0', wasm: '4.22.0' });
    expect(problem).toMatch(/written for tfjs 4\.22\.0.*tfjs-core 4\.23\.0.*tfjs-backend-wasm 4\.22\.0/);
    expect(problem).toMatch(/npm ci/);
    expect(() => assertTfjsVersion({ core: '4.22.0', wasm: '5.0.0' })).toThrow(/5\.0\.0/);
  });
});

describe('registerKernels', () => {
  beforeAll(async () => {
    await initBackend('cpu');
    await initBackend('wasm');
  });

  it('registers every kernel of ours for its backend', () => {
    for (const k of OUR_KERNELS) expect(tf.getKernel(k.kernelName, k.backendName), `${k.backendName}/${k.kernelName}`).toBeDefined();
    expect(OUR_KERNELS.filter((k) => k.role === 'speed').map((k) => k.kernelName)).toEqual([
      'Slice',
      'SplitV',
      'Unpack',
      'Concat',
      'GatherV2',
      'Identity',
      'Transpose',
      'Tile',
      'Tanh',
      'Sum',
      'Equal',
    ]);
  });

  it('puts the stock speed kernels back and reinstalls ours, keeping fixes and ops, idempotently', () => {
    const ours = tf.getKernel('Slice', 'wasm')!.kernelFunc;
    const fix = tf.getKernel('UnsortedSegmentSum', 'wasm')!.kernelFunc;
    const op = tf.getKernel('GruForward', 'wasm')!.kernelFunc;
    registerKernels('wasm', { replaceStock: false });
    registerKernels('wasm', { replaceStock: false });
    const stock = tf.getKernel('Slice', 'wasm')!.kernelFunc;
    expect(stock).not.toBe(ours);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')!.kernelFunc).toBe(fix);
    expect(tf.getKernel('GruForward', 'wasm')!.kernelFunc).toBe(op);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(Array.from(tf.slice(x, [0, 1], [2, 2]).dataSync())).toEqual([2, 3, 5, 6]);
    registerKernels('wasm');
    registerKernels('wasm');
    expect(tf.getKernel('Slice', 'wasm')!.kernelFunc).not.toBe(stock);
    expect(Array.from(tf.slice(x, [0, 1], [2, 2]).dataSync())).toEqual([2, 3, 5, 6]);
    x.dispose();
  });
});
