// The page's one handle on the engine worker. Created lazily so the
// first paint never waits for the worker; everything heavy loads inside it.
import * as Comlink from 'comlink';
import type { EngineApi } from '../../workers/api';

let remote: Comlink.Remote<EngineApi> | undefined;

export function engine(): Comlink.Remote<EngineApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'duet-engine',
    });
    remote = Comlink.wrap<EngineApi>(worker);
  }
  return remote;
}

export { Comlink };
