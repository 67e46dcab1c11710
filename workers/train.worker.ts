// The training worker: started by the engine worker for one run and closed after it, so
// training never blocks the device session's clicks (they run in the engine worker).
import * as Comlink from 'comlink';
import { initBackend, onDeviceLost, setWasmAssetPaths } from '../src/engine/backend';
import { wasmAssetPaths } from '../src/engine/backend-assets.browser';
import { EngineError, type BackendName } from '../src/engine/types';
import type { RunProgress, TrainableMethod, TrainRequest } from './api';
import { withFailures } from './failure';
import { runTraining, type TrainRunResult } from './train-run';

setWasmAssetPaths(wasmAssetPaths);

let abort: AbortController | undefined;
let deviceLost: string | undefined;
onDeviceLost((info) => {
  console.warn('GPU device lost during training', info);
  deviceLost = info.message || info.reason;
  abort?.abort();
});

export const trainWorkerApi = {
  async train(
    req: TrainRequest,
    backend: BackendName,
    onProgress: (p: RunProgress) => void,
    onSaved: (method: TrainableMethod, epochsDone: number, final: boolean) => void,
  ): Promise<TrainRunResult> {
    abort = new AbortController();
    // The session's backend; WASM when this worker cannot start it (a GPU refused here).
    await initBackend(backend, { wasmPaths: wasmAssetPaths }).catch((error: unknown) => {
      if (backend === 'wasm') throw error;
      console.warn(`training on WASM: ${backend} did not start in the training worker`, error);
      return initBackend('wasm', { wasmPaths: wasmAssetPaths });
    });
    try {
      return await runTraining(req, { signal: abort.signal, onProgress, onSaved });
    } catch (error) {
      if (deviceLost === undefined) throw error;
      throw new EngineError(
        'device-lost',
        `The GPU stopped during training (${deviceLost}). The engine switched to WASM: press Resume to continue from the last saved epoch.`,
      );
    }
  },

  cancel(): void {
    abort?.abort();
  },
};

export type TrainWorkerApi = typeof trainWorkerApi;

Comlink.expose(withFailures(trainWorkerApi));
