// AdamUpdate: the whole Adam step over every parameter in one kernel call (adam.ts uses it
// where it is registered). The op-by-op update costs 13 tfjs ops per parameter (~520 kernel
// launches per DUET-SASRec step) and 13 passes over each array; this is one launch and one
// pass, with the same float32 operations in the same order, so the result is bit-identical
// (tests/engine/adam.test.ts). wasm: SIMD on tfjs's heap (simd/kernels.as), else the loop
// below; cpu: the loop below.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { heapOffset, heapView } from './heap';
import { simdKernelsFor } from './simd/index';

/** Inputs p{i}, m{i}, v{i}, g{i} for i < count (parameter, first and second moments, gradient). */
export type AdamInputs = Record<string, TensorInfo>;

/** The step's float32 constants, as the op-by-op update rounds them. */
export interface AdamAttrs {
  count: number;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  vScale: number;
  epsilon: number;
  stepSize: number;
}

type F = Float32Array;
const f = Math.fround;

/** The update of one parameter in float32 arithmetic (each JS operation rounded with fround). */
function updateLoop(p: F, m: F, v: F, g: F, pOut: F, mOut: F, vOut: F, a: AdamAttrs): void {
  const [b1, c1, b2, c2, s, e, lr] = [a.beta1, a.oneMinusBeta1, a.beta2, a.oneMinusBeta2, a.vScale, a.epsilon, a.stepSize].map(f);
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mn = f(f(m[i] * b1) + f(gi * c1));
    const vn = f(f(v[i] * b2) + f(f(gi * gi) * c2));
    const denom = f(f(f(Math.sqrt(vn)) * s) + e);
    mOut[i] = mn;
    vOut[i] = vn;
    pOut[i] = f(p[i] - f(f(mn / denom) * lr));
  }
}

function checkInputs(inputs: AdamInputs, count: number): void {
  for (let i = 0; i < count; i++) {
    const size = inputs[`p${i}`].shape.reduce((a, b) => a * b, 1);
    for (const part of ['p', 'm', 'v', 'g']) {
      const t = inputs[`${part}${i}`];
      if (t.dtype !== 'float32' || t.shape.reduce((a, b) => a * b, 1) !== size) {
        throw new TypeError(`AdamUpdate: ${part}${i} is not a float32 tensor of the parameter's size`);
      }
    }
  }
}

export const adamKernels: OurKernel[] = [
  defineKernel<'wasm', AdamInputs, AdamAttrs>({
    kernelName: 'AdamUpdate',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs, attrs, backend }) => {
      checkInputs(inputs, attrs.count);
      const outs: TensorInfo[] = [];
      for (let i = 0; i < attrs.count; i++) {
        const shape = inputs[`p${i}`].shape;
        outs.push(backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32'));
      }
      // offsets and views only after every allocation (the heap may grow)
      const simd = simdKernelsFor(backend);
      for (let i = 0; i < attrs.count; i++) {
        const [p, m, v, g] = ['p', 'm', 'v', 'g'].map((part) => inputs[`${part}${i}`]);
        const [pOut, mOut, vOut] = outs.slice(3 * i, 3 * i + 3);
        if (simd) {
          const at = (t: TensorInfo) => heapOffset(backend, t);
          const { beta1, oneMinusBeta1, beta2, oneMinusBeta2, vScale, epsilon, stepSize } = attrs;
          const size = p.shape.reduce((a, b) => a * b, 1);
          simd.adamUpdate(
            at(p),
            at(m),
            at(v),
            at(g),
            at(pOut),
            at(mOut),
            at(vOut),
            size,
            beta1,
            oneMinusBeta1,
            beta2,
            oneMinusBeta2,
            vScale,
            epsilon,
            stepSize,
          );
        } else {
          const view = (t: TensorInfo) => heapView(backend, t) as F;
          updateLoop(view(p), view(m), view(v), view(g), view(pOut), view(mOut), view(vOut), attrs);
        }
      }
      return outs;
    },
  }),
  defineKernel<'cpu', AdamInputs, AdamAttrs>({
    kernelName: 'AdamUpdate',
    backendName: 'cpu',
    role: 'op',
    run: ({ inputs, attrs, backend }) => {
      checkInputs(inputs, attrs.count);
      const values = (t: TensorInfo) => {
        const data = backend.data.get(t.dataId)?.values;
        if (!(data instanceof Float32Array)) throw new Error('AdamUpdate (cpu): a float32 input is missing on the cpu backend');
        return data;
      };
      const outs: TensorInfo[] = [];
      for (let i = 0; i < attrs.count; i++) {
        const [p, m, v, g] = ['p', 'm', 'v', 'g'].map((part) => values(inputs[`${part}${i}`]));
        const [pOut, mOut, vOut] = [0, 1, 2].map(() => new Float32Array(p.length));
        updateLoop(p, m, v, g, pOut, mOut, vOut, attrs);
        const shape = inputs[`p${i}`].shape;
        outs.push(...[pOut, mOut, vOut].map((data) => backend.makeTensorInfo(shape, 'float32', data)));
      }
      return outs;
    },
  }),
];
