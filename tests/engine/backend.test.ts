import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { activeBackend, initBackend, probeWebGpu } from '../../src/engine/backend';
import { EngineError } from '../../src/engine/types';

function fakeGpu(adapter: object | null): void {
  vi.stubGlobal('navigator', { hardwareConcurrency: 2, gpu: { requestAdapter: async () => adapter } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('probeWebGpu', () => {
  it('reports no WebGPU without navigator.gpu (Node)', async () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    expect(await probeWebGpu()).toMatchObject({ available: false, software: false });
  });
  it('treats a SwiftShader adapter as software', async () => {
    fakeGpu({ info: { vendor: 'google', architecture: 'swiftshader', description: '' } });
    expect(await probeWebGpu()).toMatchObject({ available: true, software: true });
  });
  it('treats a fallback adapter as software', async () => {
    fakeGpu({ isFallbackAdapter: true, info: { vendor: 'someone' } });
    expect((await probeWebGpu()).software).toBe(true);
  });
  it('treats a named GPU as hardware', async () => {
    fakeGpu({ info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' } });
    expect(await probeWebGpu()).toEqual({ available: true, software: false, description: 'nvidia / hopper / NVIDIA H100' });
  });
  it('survives an adapter request that throws', async () => {
    vi.stubGlobal('navigator', {
      gpu: {
        requestAdapter: async () => {
          throw new Error('boom');
        },
      },
    });
    expect(await probeWebGpu()).toMatchObject({ available: false });
  });
});

describe('initBackend in Node', () => {
  it("'auto' skips a software WebGPU adapter and picks WASM", async () => {
    fakeGpu({ info: { architecture: 'swiftshader' } });
    const active = await initBackend('auto');
    expect(active).toEqual({ name: 'wasm', software: false, threads: 1 });
    expect(tf.getBackend()).toBe('wasm');
    expect(activeBackend()).toEqual(active);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });
  it('forces cpu when asked', async () => {
    expect(await initBackend('cpu')).toEqual({ name: 'cpu', software: false, threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
  });
  it('throws a typed, readable error for a backend that cannot start here', async () => {
    const error = await initBackend('webgpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('backend');
    expect((error as EngineError).message).toMatch(/WebGPU is not available/);
  });
  it('registers the gradients tfjs-core alone lacks', async () => {
    await initBackend('wasm');
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.tanh(x), x)))(tf.tensor1d([0.5]));
    // d/dx x tanh x = tanh x + x (1 - tanh^2 x) = 0.4621172 + 0.5 * 0.7864477
    expect(g.dataSync()[0]).toBeCloseTo(0.855341, 5);
  });
});
