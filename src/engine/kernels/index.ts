// Every kernel we register with tfjs, in one list (define.ts says how a kernel is defined):
// - fixes: the missing UnsortedSegmentSum (tf.gather's gradient) on wasm, a single-pass one on
//   cpu, and a guard around tfjs-wasm matMul's stale operator cache (matmul.ts);
// - ops: the GRU step kernels (gru-step.ts), the whole Adam update (adam.ts), SASRec's
//   one-query-row attention (attention.ts), DUET's generated layers (generated.ts), layer
//   normalisation (layernorm.ts) and tanh(x W + b) after the matmul (bias-tanh.ts), SIMD on wasm;
//   one row's x W + b (+ relu) as one tfjs-wasm _FusedMatMul launch (dense-row.ts, device clicks);
//   one sequence's SASRec history and last layer, one launch each (click-row.ts, device clicks);
// - speed: Slice, SplitV, Unpack, Concat and GatherV2 (axis 0) that copy only what is needed,
//   Identity and size-1-only Transpose as views of their input (views.ts), Tile as block copies,
//   a SIMD Tanh, a Sum over leading axes with no transpose, and an Equal that broadcasts fast.
import { adamKernels } from './adam';
import { attentionKernels } from './attention';
import { biasTanhKernels } from './bias-tanh';
import { clickRowKernels } from './click-row';
import { denseRowKernels } from './dense-row';
import { equalWasm } from './compare';
import { generatedKernels } from './generated';
import { layerNormKernels } from './layernorm';
import { concatWasm } from './concat';
import { registerOurKernels, type KernelBackendName, type OurKernel, type RegisterOptions } from './define';
import { sumWasm, tanhWasm } from './elementwise';
import { gatherV2Wasm } from './gather';
import { identityWasm, transposeWasm } from './views';
import { tileWasm } from './tile';
import { gruStepKernels } from './gru-step';
import { matMulGuards } from './matmul';
import { sliceWasm, splitVWasm, unpackWasm } from './slice';
import { unsortedSegmentSumCpu, unsortedSegmentSumWasm } from './unsorted-segment-sum';

export const OUR_KERNELS: readonly OurKernel[] = [
  unsortedSegmentSumWasm,
  unsortedSegmentSumCpu,
  ...matMulGuards,
  ...gruStepKernels,
  ...adamKernels,
  ...attentionKernels,
  ...generatedKernels,
  ...layerNormKernels,
  ...biasTanhKernels,
  ...denseRowKernels,
  ...clickRowKernels,
  sliceWasm,
  splitVWasm,
  unpackWasm,
  concatWasm,
  gatherV2Wasm,
  identityWasm,
  transposeWasm,
  tileWasm,
  tanhWasm,
  sumWasm,
  equalWasm,
];

/**
 * Registers our kernels for a backend (idempotent; before or after tf.setBackend). Throws a
 * sentence when the installed tfjs is not the version they were written for (version.ts).
 * `replaceStock: false` keeps (or puts back) the stock kernels our `speed` kernels replace.
 */
export function registerKernels(backendName: KernelBackendName, options: RegisterOptions = {}): void {
  registerOurKernels(OUR_KERNELS, backendName, options);
}

export type { RegisterOptions } from './define';
