// The engine worker: wires src/data and src/engine behind EngineApi (workers/api.ts).
// Thin by design: every method forwards to a service module; no logic of its own.
import * as Comlink from 'comlink';
import type { EngineApi } from './api';
import { dataService } from './data-service';
import { modelService } from './model-service';
import { withFailures } from './failure';

const api: EngineApi = { ...dataService, ...modelService };

Comlink.expose(withFailures(api));
