// The browser's copy of datasets, trained models and UI settings (IndexedDB via idb).
// A dataset is its summary (listed often), its body (everything else, with each typed
// array replaced by a reference) and the typed arrays in bounded parts (bulk.ts), all
// written in one transaction so an import either lands whole or leaves the store as it was.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { openDB } from 'idb';
import type { DuetConfig, ModelConfig, SerializedModel, TrainConfig } from '../engine/types';
import type { BulkPart } from './bulk';
import { defaultPartBytes, joinBulk, splitBulk } from './bulk';
import type { Dataset, DatasetSummary } from './types';
import { DataError } from './types';

export const DB_NAME = 'duet';
export const DB_VERSION = 2;

/** Dataset minus its summary, typed arrays replaced by BulkRefs. */
type DatasetShell = { id: string } & Record<string, unknown>;
type StoredPart = BulkPart & { datasetId: string };

interface DuetSchema extends DBSchema {
  summaries: { key: string; value: DatasetSummary };
  bodies: { key: string; value: DatasetShell };
  parts: { key: [string, string, number]; value: StoredPart; indexes: { byDataset: string } };
  /** Weights (and checkpoint state), keyed `${datasetId}/${backbone}/${method}`; read only to load a model. */
  models: { key: string; value: SerializedModel; indexes: { byDataset: string } };
  /** What the model list shows, apart from the weights; written in the same transaction. */
  modelMeta: { key: string; value: StoredModelMeta; indexes: { byDataset: string } };
  settings: { key: string; value: unknown };
}

/** A stored model's description without its weights (listed often, small). */
export interface StoredModelMeta {
  key: string;
  datasetId: string;
  backbone: ModelConfig['backbone'];
  method: SerializedModel['method'];
  epochsDone: number;
  bestValidUauc: number;
  trainedWith: SerializedModel['trainedWith'];
  source: 'trained-here' | 'imported';
  model: ModelConfig;
  duet?: DuetConfig;
  train: TrainConfig;
  savedAt: number;
}

export function modelMetaOf(key: string, m: SerializedModel, source: StoredModelMeta['source'], savedAt = Date.now()): StoredModelMeta {
  return {
    key,
    datasetId: m.datasetId,
    backbone: m.model.backbone,
    method: m.method,
    epochsDone: m.epochsDone,
    bestValidUauc: m.bestValidUauc,
    trainedWith: m.trainedWith,
    source,
    model: m.model,
    duet: m.duet,
    train: m.train,
    savedAt,
  };
}

/** The options are for tests and future migrations; the app uses the defaults. */
export function openDuetStore(options: { name?: string; version?: number; partBytes?: number } = {}): Promise<DuetStore> {
  return new Promise((resolve, reject) => {
    let blocked = false;
    openDB<DuetSchema>(options.name ?? DB_NAME, options.version ?? DB_VERSION, {
      async upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          db.createObjectStore('summaries', { keyPath: 'id' });
          db.createObjectStore('bodies', { keyPath: 'id' });
          db.createObjectStore('parts', { keyPath: ['datasetId', 'path', 'part'] }).createIndex('byDataset', 'datasetId');
          db.createObjectStore('models').createIndex('byDataset', 'datasetId');
          db.createObjectStore('settings');
        }
        if (oldVersion < 2) {
          // Model metadata apart from weights; existing models get theirs from their records.
          const meta = db.createObjectStore('modelMeta', { keyPath: 'key' });
          meta.createIndex('byDataset', 'datasetId');
          for (let c = await tx.objectStore('models').openCursor(); c; c = await c.continue()) {
            const m = c.value;
            await meta.put(modelMetaOf(String(c.key), m, m.trainedWith.where === 'browser' ? 'trained-here' : 'imported', 0));
          }
        }
      },
      blocked() {
        blocked = true;
        reject(new DataError('blocked', 'This app is open in another tab with an older version. Close the other tabs and reload.'));
      },
      // Another tab wants a newer schema: step aside instead of blocking it.
      blocking(_current, _blocked, event) {
        (event.target as IDBDatabase).close();
      },
    }).then(
      (db) => (blocked ? db.close() : resolve(new DuetStore(db, options.partBytes ?? defaultPartBytes))),
      (error) => reject(toDataError(error)),
    );
  });
}

export class DuetStore {
  constructor(
    private readonly db: IDBPDatabase<DuetSchema>,
    private readonly partBytes = defaultPartBytes,
  ) {}

  close(): void {
    this.db.close();
  }

  listDatasets(): Promise<DatasetSummary[]> {
    return guard(async () => (await this.db.getAll('summaries')).sort((a, b) => a.createdAt - b.createdAt));
  }

  /** Replaces a dataset of the same id, parts included. */
  saveDataset(d: Dataset): Promise<void> {
    const { id, name, format, createdAt, stats, ...rest } = d;
    const { shell, parts } = splitBulk(rest, this.partBytes);
    return this.write(['summaries', 'bodies', 'parts'], async (tx) => {
      const store = tx.objectStore('parts');
      const old = await store.index('byDataset').getAllKeys(id);
      await Promise.all(old.map((key) => store.delete(key)));
      await tx.objectStore('summaries').put({ id, name, format, createdAt, stats });
      await tx.objectStore('bodies').put({ ...(shell as Record<string, unknown>), id });
      for (const part of parts()) await store.put({ ...part, datasetId: id });
    });
  }

  loadDataset(id: string): Promise<Dataset> {
    return guard(async () => {
      const tx = this.db.transaction(['summaries', 'bodies', 'parts']);
      const [summary, shell] = await Promise.all([tx.objectStore('summaries').get(id), tx.objectStore('bodies').get(id)]);
      if (!summary || !shell) throw new DataError('not-found', `No dataset "${id}" is stored in this browser.`);
      const store = tx.objectStore('parts');
      // One part per request: a single getAll could exceed the browser's message size.
      const keys = await store.index('byDataset').getAllKeys(id);
      const parts = (await Promise.all(keys.map((key) => store.get(key)))).filter((p) => p !== undefined);
      return { ...(joinBulk(shell, parts) as object), ...summary } as Dataset;
    });
  }

  /** Removes the dataset and every model trained on it. */
  deleteDataset(id: string): Promise<void> {
    return this.write(['summaries', 'bodies', 'parts', 'models', 'modelMeta'], async (tx) => {
      const models = tx.objectStore('models');
      const meta = tx.objectStore('modelMeta');
      const parts = tx.objectStore('parts');
      const [modelKeys, metaKeys, partKeys] = await Promise.all([
        models.index('byDataset').getAllKeys(id),
        meta.index('byDataset').getAllKeys(id),
        parts.index('byDataset').getAllKeys(id),
      ]);
      await Promise.all([
        tx.objectStore('summaries').delete(id),
        tx.objectStore('bodies').delete(id),
        ...modelKeys.map((key) => models.delete(key)),
        ...metaKeys.map((key) => meta.delete(key)),
        ...partKeys.map((key) => parts.delete(key)),
      ]);
    });
  }

  /**
   * Stores a model's weights and its metadata in one transaction, only while its dataset is
   * stored: a model never outlives its dataset, even when the dataset is deleted mid-training.
   */
  saveModel(key: string, m: SerializedModel, source: StoredModelMeta['source']): Promise<void> {
    return this.write(['summaries', 'models', 'modelMeta'], async (tx) => {
      if (!(await tx.objectStore('summaries').getKey(m.datasetId))) {
        throw new DataError('not-found', 'The dataset was deleted, so its model was not saved.');
      }
      await tx.objectStore('models').put(m, key);
      await tx.objectStore('modelMeta').put(modelMetaOf(key, m, source));
    });
  }

  loadModel(key: string): Promise<SerializedModel | undefined> {
    return guard(() => this.db.get('models', key));
  }

  /** Metadata of the dataset's stored models; no weights are read. */
  listModels(datasetId: string): Promise<StoredModelMeta[]> {
    return guard(() => this.db.getAllFromIndex('modelMeta', 'byDataset', datasetId));
  }

  getSetting<T>(key: string): Promise<T | undefined> {
    return guard(async () => (await this.db.get('settings', key)) as T | undefined);
  }

  setSetting(key: string, value: unknown): Promise<void> {
    return guard(async () => {
      await this.db.put('settings', value, key);
    });
  }

  deleteSetting(key: string): Promise<void> {
    return guard(() => this.db.delete('settings', key));
  }

  /** All or nothing: any failure aborts the transaction, so earlier records stay as they were. */
  private write<S extends StoreNames<DuetSchema>>(
    stores: S[],
    body: (tx: IDBPTransaction<DuetSchema, S[], 'readwrite'>) => Promise<void>,
  ): Promise<void> {
    return guard(async () => {
      const tx = this.db.transaction(stores, 'readwrite');
      tx.done.catch(() => undefined); // observed below; avoids an unhandled rejection on abort
      try {
        await body(tx);
        await tx.done;
      } catch (error) {
        try {
          tx.abort();
        } catch {
          // already finished or aborted
        }
        throw error;
      }
    });
  }
}

async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    throw toDataError(error);
  }
}

export function toDataError(error: unknown): DataError {
  if (error instanceof DataError) return error;
  const name = (error as { name?: string } | null)?.name;
  const message = (error as { message?: string } | null)?.message ?? String(error);
  if (name === 'QuotaExceededError') {
    return new DataError('quota', 'The browser has no storage space left for this. Delete a dataset or model and try again.');
  }
  if (name === 'InvalidStateError') {
    return new DataError('blocked', 'The storage connection was closed because the app changed in another tab. Reload this page.');
  }
  return new DataError('unknown', `Browser storage failed: ${message}`);
}
