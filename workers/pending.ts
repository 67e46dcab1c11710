// What the store remembers between visits about training (IndexedDB settings, never
// localStorage): the unfinished run, for a Resume button, and the speed last measured per
// backend/backbone/method, for estimates before Train is pressed.
import type { Backbone, BackendName } from '../src/engine/types';
import type { PendingTraining, TrainableMethod } from './api';
import { store } from './data-service';

const pendingKey = 'pendingTraining';
const speedsKey = 'trainSpeeds';

export async function readPending(): Promise<PendingTraining | null> {
  return (await (await store()).getSetting<PendingTraining>(pendingKey)) ?? null;
}

let writes: Promise<unknown> = Promise.resolve();
/** Writes happen in call order (epoch saves and the run's end can overlap). */
function queued(op: () => Promise<void>): Promise<void> {
  const next = writes.then(op, op);
  writes = next.catch(() => undefined);
  return next;
}

export function writePending(p: PendingTraining): Promise<void> {
  return queued(async () => (await store()).setSetting(pendingKey, { ...p, updatedAt: Date.now() }));
}

export function clearPending(): Promise<void> {
  return queued(async () => (await store()).deleteSetting(pendingKey));
}

/** Forgets the pending run when its dataset is deleted. */
export async function clearPendingFor(datasetId: string): Promise<void> {
  if ((await readPending())?.request.datasetId === datasetId) await clearPending();
}

type Speeds = Record<string, number>;
const speedKey = (backend: BackendName, backbone: Backbone, method: TrainableMethod) => `${backend}/${backbone}/${method}`;

export async function recordSpeeds(
  backend: BackendName,
  backbone: Backbone,
  speeds: Partial<Record<TrainableMethod, number>>,
): Promise<void> {
  const s = await store();
  const all = (await s.getSetting<Speeds>(speedsKey)) ?? {};
  for (const [method, rate] of Object.entries(speeds)) {
    if (rate && Number.isFinite(rate) && rate > 0) all[speedKey(backend, backbone, method as TrainableMethod)] = rate;
  }
  await s.setSetting(speedsKey, all);
}

export async function measuredSpeed(backend: BackendName, backbone: Backbone, method: TrainableMethod): Promise<number | undefined> {
  return ((await (await store()).getSetting<Speeds>(speedsKey)) ?? {})[speedKey(backend, backbone, method)];
}

/**
 * The stated guess when nothing was measured yet: training samples per second on WASM with
 * one thread, about half of what `npm run bench -- --quick` measures on a 2-core machine
 * (an epoch also batches and validates, and a visitor's machine may be slower).
 */
export const defaultSamplesPerSecond: Record<Backbone, Record<TrainableMethod, number>> = {
  sasrec: { base: 10000, duet: 3500, 'duet-swa': 2500 },
  gru4rec: { base: 6500, duet: 3300, 'duet-swa': 2300 },
  din: { base: 2500, duet: 1400, 'duet-swa': 1000 },
};
