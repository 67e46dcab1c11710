// Engine contracts: configs, metrics and the serialised model. No tfjs types here,
// so the UI can import this file without pulling tfjs in.

export type Backbone = 'sasrec' | 'gru4rec' | 'din';
export type Method = 'base' | 'duet' | 'duet-swa' | 'finetune';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface ModelConfig {
  backbone: Backbone;
  numItems: number; // vocab = numItems + 1 (0 = padding)
  dim: number; // D, default 32
  seqLen: number; // L, default 30
  heads: number; // default 4 (SASRec)
  layers: number; // encoder layers, default 1
  /** Mask padding positions in attention (the reference does not; docs/method.md#deviations-from-the-authors-code). */
  maskPadding: boolean;
}

export interface DuetConfig {
  /** Stable Weight Adapter (docs/method.md#the-stable-weight-adapter-swa): m generators mixed by similarity. */
  swa: { generators: number; temperature: number };
  /** Freeze A_i, a_i, B_i, c_i at init, as the reference code effectively does. */
  freezeProjections: boolean;
  /** Which sequence feeds the generator at test time: the click sequence (reference) or the trigger. */
  generatorInput: 'click' | 'trigger';
  /**
   * Multiplies the generator projections' initial values (normal folded into (-2, 2)). The
   * reference's scale is 1; the one default (defaults.ts) is 0.5 (docs/method.md, deviations).
   * Only initialisation reads it: files saved before it existed load unchanged.
   */
  projectionScale: number;
}

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Fine-tune baseline: epochs over the user's own cloud samples (reference: 1). */
  finetuneEpochs: number;
}

export interface Metrics {
  auc: number;
  uauc: number;
  logloss: number;
  ndcg5: number;
  ndcg10: number;
  ndcg20: number;
  hr5: number;
  hr10: number;
  hr20: number;
  /** Full-catalog ranking of device-period targets (docs/method.md#metrics, beyond the reference); absent when no histories. */
  fullHr10?: number;
  fullNdcg10?: number;
}

export interface TrainProgress {
  phase: Method;
  epoch: number; // 1-based
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  samplesPerSecond: number;
  etaSeconds: number;
  /** Set at the end of an epoch. */
  validUauc?: number;
  testUauc?: number;
}

/** Everything needed to rebuild a trained model: configs plus named weights. */
export interface SerializedModel {
  formatVersion: 1;
  method: Exclude<Method, 'finetune'>;
  model: ModelConfig;
  duet?: DuetConfig;
  train: TrainConfig;
  /** Epochs completed; training resumes from here. */
  epochsDone: number;
  bestValidUauc: number;
  weights: { name: string; shape: number[]; data: Float32Array }[];
  /** Adam state, so a resumed run continues exactly. */
  optimizer?: { name: string; shape: number[]; data: Float32Array }[];
  /**
   * Checkpoints only: the weights after the last completed epoch, which training resumes from.
   * `weights` always hold the best-by-validation epoch (what gets deployed).
   */
  resumeWeights?: { name: string; shape: number[]; data: Float32Array }[];
  datasetId: string;
  /** `sample`: set when it was trained on a seeded sample of the users, the sentence that says so with numbers. */
  trainedWith: { backend: BackendName; where: 'cli' | 'browser'; date: string; sample?: string };
}

/** One ranked item of a device session. */
export interface Recommendation {
  itemId: number;
  score: number;
}

export interface GeneratedParameters {
  /** [D*D + D] for each of the two dynamic layers, flattened W then b. */
  layer1: Float32Array;
  layer2: Float32Array;
  dim: number;
  /** [in, out] of each layer when not D x D (DIN generates its scoring MLP's last two). */
  shapes?: [[number, number], [number, number]];
}

export class EngineError extends Error {
  constructor(
    readonly code: 'nan-loss' | 'device-lost' | 'cancelled' | 'no-model' | 'bad-checkpoint' | 'backend' | 'no-samples' | 'dataset-deleted',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
