// Is autodiff recording right now (inside tf.grads / variableGrads, and not inside a kernel)?
// Our tf.customGrad ops cost a scope each (~15 us here) even when nothing is recorded; a
// device click runs ~17 of them, so outside a gradient they run their forward kernels
// directly (the same kernels: the same values). Reads tfjs-core 4.22's engine state
// (version.ts pins the version; tests/engine/recording.test.ts checks the reading).
import * as tf from '@tensorflow/tfjs-core';

interface EngineState {
  gradientDepth: number;
  kernelDepth: number;
}

export function recordingGradients(): boolean {
  const state = (tf.engine() as unknown as { state?: Partial<EngineState> }).state;
  if (typeof state?.gradientDepth !== 'number' || typeof state.kernelDepth !== 'number') return true; // unknown: take the recording path
  return state.gradientDepth > 0 && state.kernelDepth === 0; // the engine's own isTapeOn()
}
