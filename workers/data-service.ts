// Datasets through src/data: the store, imports, the embedded default dataset, and the
// catalog / users / truth the device session reads, and exports for other tools.
import { buildDefaultDataset, importFiles, openDuetStore, DataError, type DuetStore, type Dataset, type DatasetSummary } from '../src/data';
import { defaultDatasetIdentity } from '../src/data/formats/defaultDataset';
import type { EngineApi } from './api';
import { exportBlob } from './export';
import { sessionUsers } from './session-users';

export type DataMethods = Pick<
  EngineApi,
  | 'listDatasets'
  | 'ensureDefaultDataset'
  | 'importDataset'
  | 'cancelImport'
  | 'deleteDataset'
  | 'exportDataset'
  | 'catalog'
  | 'sessionUsers'
  | 'truth'
>;

// The default dataset ships as static files: Vite emits each file of datasets/default/ and
// gives its URL, so the worker fetches them on a first visit only.
const defaultFiles = import.meta.glob<string>('../datasets/default/*.{csv,json}', {
  query: '?url',
  import: 'default',
  eager: true,
});

let storeOpening: Promise<DuetStore> | undefined;
export function store(): Promise<DuetStore> {
  storeOpening ??= openDuetStore().catch((err: unknown) => {
    storeOpening = undefined;
    throw err;
  });
  return storeOpening;
}

let cached: Dataset | undefined;
/** The whole dataset; the last one used stays in memory (a session asks for it per click). */
export async function loadDataset(id: string): Promise<Dataset> {
  if (cached?.id !== id) cached = refuseCapped(await (await store()).loadDataset(id));
  return cached;
}

/**
 * Records stored before samples were built per batch hold their rows as given (still
 * usable), but some had their training targets capped without saying so: refuse those.
 */
function refuseCapped(d: Dataset): Dataset {
  if ((d.options as { maxTrainPerUser?: number }).maxTrainPerUser !== undefined) {
    throw new DataError(
      'old-record',
      `"${d.name}" was stored by an older version that kept only part of its training data: import it again.`,
    );
  }
  return d;
}

/** The default dataset as stored by an older version (no positive counts): rebuilt on first use. */
function isOldDefault(summary: DatasetSummary): boolean {
  return summary.stats.trainPositives === undefined;
}

function summaryOf(d: Dataset): DatasetSummary {
  return { id: d.id, name: d.name, format: d.format, createdAt: d.createdAt, stats: d.stats };
}

async function fetchText(file: string): Promise<string> {
  const url = defaultFiles[`../datasets/default/${file}`];
  if (!url) throw new DataError('not-found', `The default dataset's ${file} is missing from this build.`);
  const response = await fetch(url);
  if (!response.ok) throw new DataError('not-found', `Could not load the default dataset's ${file} (HTTP ${response.status}).`);
  return response.text();
}

let importAbort: AbortController | undefined;

export const dataService: DataMethods = {
  async listDatasets() {
    return (await store()).listDatasets();
  },

  async ensureDefaultDataset(onProgress) {
    const s = await store();
    const existing = (await s.listDatasets()).find((d) => d.id === defaultDatasetIdentity.id);
    if (existing && !isOldDefault(existing)) return existing;
    const files = ['items.csv', 'interactions.csv', 'truth.json'];
    const texts: string[] = [];
    for (const [i, file] of files.entries()) {
      onProgress?.({ stage: 'reading', fraction: i / files.length, message: `Downloading ${file}` });
      texts.push(await fetchText(file));
    }
    onProgress?.({ stage: 'preprocessing', fraction: 0.5, message: 'Building samples' });
    const dataset = buildDefaultDataset({ itemsCsv: texts[0], interactionsCsv: texts[1], truthJson: texts[2] });
    onProgress?.({ stage: 'storing', fraction: 0.9, message: 'Saving in this browser' });
    await s.saveDataset(dataset);
    cached = dataset;
    return summaryOf(dataset);
  },

  async importDataset(files, format, name, onProgress) {
    importAbort?.abort();
    const abort = new AbortController();
    importAbort = abort;
    try {
      const dataset = await importFiles(files, format, name, { signal: abort.signal, onProgress });
      onProgress?.({ stage: 'storing', fraction: 0.5, message: 'Saving in this browser' });
      await (await store()).saveDataset(dataset);
      return summaryOf(dataset);
    } finally {
      if (importAbort === abort) importAbort = undefined;
    }
  },

  async cancelImport() {
    importAbort?.abort();
  },

  async deleteDataset(id) {
    await (await store()).deleteDataset(id);
    if (cached?.id === id) cached = undefined;
  },

  async exportDataset(datasetId, format) {
    return exportBlob(await loadDataset(datasetId), format);
  },

  async catalog(datasetId) {
    return (await loadDataset(datasetId)).items;
  },

  async sessionUsers(datasetId, limit) {
    return sessionUsers(await loadDataset(datasetId), limit);
  },

  async truth(datasetId) {
    return (await loadDataset(datasetId)).truth ?? null;
  },
};
