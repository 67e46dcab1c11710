// What the worker and the CLI use from the data pipeline.
export { importFiles, type ImportOptions } from './import';
export { buildDefaultDataset, type DefaultDatasetTexts } from './formats/defaultDataset';
export { preprocess, defaultPreprocessOptions, type PreprocessedData } from './preprocess';
export type { ParsedInteractions } from './parsed';
export { InteractionsBuilder } from './parsed';
export { openDuetStore, DuetStore, type StoredModelMeta } from './store';
export * from './types';
export { exportDataset, exportDuetText, exportRecboleInter, type ExportedFile } from './export';
export { subsampleUsers } from './subsample';
