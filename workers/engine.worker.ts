// The engine worker: wires src/data and src/engine behind EngineApi (workers/api.ts).
// Thin by design: every method forwards to a service module. Training runs in a nested
// worker (train.worker.ts) that the model service starts per run.
import * as Comlink from 'comlink';
import type { EngineApi } from './api';
import { dataService } from './data-service';
import { deleteDataset, modelService } from './model-service';
import { withFailures } from './failure';

const api: EngineApi = { ...dataService, ...modelService, deleteDataset };

Comlink.expose(withFailures(api));
