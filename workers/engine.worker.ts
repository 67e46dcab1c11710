// The engine worker: wires src/data and src/engine behind EngineApi (workers/api.ts).
// Thin by design: every method forwards to a service module. Training runs in a nested
// worker (train.worker.ts) that this one starts per run.
import * as Comlink from 'comlink';
import type { EngineApi } from './api';
import { dataService } from './data-service';
import { modelService, stopTrainingFor } from './model-service';
import { forgetDataset } from './models';
import { withFailures } from './failure';

const api: EngineApi = {
  ...dataService,
  ...modelService,
  // A run on the dataset stops first; the store refuses any later save for it.
  async deleteDataset(id) {
    await stopTrainingFor(id);
    await dataService.deleteDataset(id);
    forgetDataset(id);
  },
};

Comlink.expose(withFailures(api));
