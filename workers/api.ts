// The one typed boundary between the page and the engine worker.
// The UI imports only types from here; workers/engine.worker.ts implements it.
import type { DatasetSummary, DatasetFormat, ImportProgress, ItemMeta, SimulatedTruth } from '../src/data/types';
import type {
  Backbone,
  BackendName,
  DuetConfig,
  GeneratedParameters,
  Metrics,
  Method,
  ModelConfig,
  Recommendation,
  TrainConfig,
  TrainProgress,
} from '../src/engine/types';

export type { GeneratedParameters, ImportProgress, Recommendation };

export type TrainableMethod = Exclude<Method, 'finetune'>;

export interface TrainRequest {
  datasetId: string;
  backbone: Backbone;
  /** Any method the CLI can train, 'duet-swa' included. */
  methods: TrainableMethod[];
  model: Partial<ModelConfig>;
  duet: Partial<DuetConfig>;
  train: Partial<TrainConfig>;
  /** Resume from the stored checkpoint of the same dataset/backbone/method when present. */
  resume: boolean;
  /**
   * Train on a sample of this many users, drawn with the dataset's seed (all of their
   * interactions, the catalog unchanged); absent: every user. Part of the pending run, so
   * Resume trains on the same sample.
   */
  maxUsers?: number;
}

/** Progress of one training run: the current phase plus the whole run (all methods, all epochs). */
export interface RunProgress extends TrainProgress {
  /** 0..1 over the whole run; never goes back when a new method or epoch starts. */
  overallFraction: number;
  /** Seconds left for the whole run from measured speed; undefined until a speed is measured. */
  overallEtaSeconds?: number;
  /** Index of the method being trained in `TrainRequest.methods`, and their count. */
  methodIndex: number;
  methodCount: number;
}

/**
 * A run that did not finish (stored in IndexedDB by the worker). It is only ever resumed by
 * the visitor pressing Resume: loading the page never starts training by itself.
 */
export interface PendingTraining {
  request: TrainRequest;
  /** Per requested method: epochs saved in its checkpoint, and epochs asked for. */
  saved: { method: TrainableMethod; epochsDone: number; epochs: number }[];
  /** 'cancelled' by the visitor; 'interrupted' by a reload or a closed tab; 'failed' on an error. */
  reason: 'cancelled' | 'interrupted' | 'failed';
  updatedAt: number;
}

/** What a run will cost, shown before Train is pressed. */
export interface TrainEstimate {
  seconds: number;
  samplesPerEpoch: number;
  /** 'measured' = from speed measured on this machine and backend; 'default' = a stated guess. */
  basis: 'measured' | 'default';
}

export interface ModelInfo {
  datasetId: string;
  backbone: Backbone;
  method: TrainableMethod;
  source: 'shipped' | 'trained-here' | 'imported';
  epochsDone: number;
  trainedWith: string; // a sentence: backend, where, date, epochs
  /** Set when it was trained on a sample of the users: the sentence that says so with numbers. */
  sample?: string;
}

export interface SessionRanking {
  method: 'base' | 'duet' | 'finetune';
  top: Recommendation[];
  /** ms from request receipt in the worker to ranking ready (excludes messaging). */
  computeMs: number;
  /** Present for DUET. */
  parameters?: GeneratedParameters;
}

/** What every failed call rejects with: a sentence for the page, never a stack. */
export interface EngineFailure {
  name: string;
  /** DataError / EngineError code, or 'unknown'. */
  code: string;
  message: string;
}

/** A test user the device session can start from. */
export interface SessionUser {
  /** Dense user index in the dataset. */
  index: number;
  sourceId: string;
  /** The user's cloud-period history, oldest first (at most seqLen items). */
  history: Int32Array;
  /** The user's real device-period clicks, oldest first. */
  deviceClicks: Int32Array;
}

export interface EngineApi {
  /** Active backend and whether it is a software adapter. */
  backend(): Promise<{ name: BackendName; software: boolean; threads: number }>;
  setBackend(name: BackendName | 'auto'): Promise<{ name: BackendName; software: boolean }>;

  listDatasets(): Promise<DatasetSummary[]>;
  /** Loads the embedded default dataset into IndexedDB if absent. */
  ensureDefaultDataset(onProgress?: (p: ImportProgress) => void): Promise<DatasetSummary>;
  importDataset(
    files: { name: string; data: ArrayBuffer }[],
    format: DatasetFormat | 'auto',
    name: string,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<DatasetSummary>;
  cancelImport(): Promise<void>;
  deleteDataset(id: string): Promise<void>;
  /** A stored dataset as one file for other tools: DUET text (train.txt + test.txt in a zip) or a RecBole `.inter`. */
  exportDataset(datasetId: string, format: 'duet' | 'recbole'): Promise<{ fileName: string; blob: Blob }>;

  /**
   * Trains in a worker of its own, so the device session stays responsive meanwhile; the
   * session switches to the new models when the run ends.
   */
  train(req: TrainRequest, onProgress: (p: RunProgress) => void): Promise<Record<string, Metrics>>;
  /** Cancel means cancelled: the run stops, its saved epochs stay, nothing restarts on reload. */
  cancelTraining(): Promise<void>;
  /** The unfinished run, if any, for a "Resume training (epoch 2 of 3 saved)" button. */
  pendingTraining(): Promise<PendingTraining | null>;
  /** Forget the unfinished run (its saved checkpoints stay usable as models). */
  discardPendingTraining(): Promise<void>;
  estimateTraining(req: TrainRequest): Promise<TrainEstimate>;
  /**
   * `finetune: true` adds the per-user fine-tune baseline (slow: about one training epoch);
   * `onProgress` then reports it per test user (phase 'finetune', step = users done).
   */
  evaluate(
    datasetId: string,
    backbone: Backbone,
    options?: { finetune?: boolean },
    onProgress?: (p: TrainProgress) => void,
  ): Promise<Record<string, Metrics>>;
  /** Stops a running evaluate(); it rejects with code 'cancelled'. */
  cancelEvaluation(): Promise<void>;
  listModels(datasetId: string): Promise<ModelInfo[]>;
  exportModel(datasetId: string, backbone: Backbone, method: TrainableMethod): Promise<ArrayBuffer>;
  /** Stores a model file; with `datasetId`, for that dataset (its catalog size must match). */
  importModel(data: ArrayBuffer, datasetId?: string): Promise<ModelInfo>;

  /** Rank the whole catalog for a device sequence (item ids, oldest first). */
  rank(
    datasetId: string,
    backbone: Backbone,
    deviceSequence: Int32Array,
    methods: ('base' | 'duet' | 'finetune')[],
    options: { k: number; finetuneSteps: number; exclude?: Int32Array },
  ): Promise<SessionRanking[]>;

  /** The dataset's catalog; index = item id, [0] is the padding placeholder. */
  catalog(datasetId: string): Promise<ItemMeta[]>;
  /** Users with a device period, for the session's user picker. */
  sessionUsers(datasetId: string, limit: number): Promise<SessionUser[]>;
  /** Simulated interests, for the default (generated) dataset only. */
  truth(datasetId: string): Promise<SimulatedTruth | null>;

  /** tfjs bytes in use, for leak checks. */
  memory(): Promise<{ tfBytes: number; tfTensors: number }>;
}
