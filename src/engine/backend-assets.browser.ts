// Browser-only: lets Vite ship the tfjs-wasm binaries as hashed assets. Import this from the
// worker and pass `wasmAssetPaths` to setWasmAssetPaths / initBackend; Node never imports it
// (the `?url` suffix only means something to Vite).
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { WasmAssetPaths } from './backend';

export const wasmAssetPaths: WasmAssetPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
};
