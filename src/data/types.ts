// Shared data contracts. Item ids are dense integers 1..numItems; 0 is padding (DUET.md).

export interface ItemMeta {
  /** Dense id, 1..numItems. */
  id: number;
  title: string;
  /** Genres, topics or subjects; may be empty. */
  genres: string[];
  /** Author, director, ... when the source has one. */
  creator?: string;
  year?: number;
  /** The id in the source file, as text. */
  sourceId: string;
}

/** Samples in the reference's format (DUET.md), one row per sample, as typed arrays. */
export interface SampleSet {
  count: number;
  seqLen: number;
  /** [count] dense user index, 0..numUsers-1 */
  user: Int32Array;
  /** [count] item id */
  target: Int32Array;
  /** [count * seqLen] history before the target, left-aligned, zero-padded at the end */
  clickSeq: Int32Array;
  /** [count * seqLen] the device's recent (device-period) clicks before the target; zeros for cloud samples */
  triggerSeq: Int32Array;
  /** [count] 1 = clicked target, 0 = sampled negative */
  label: Float32Array;
}

/**
 * Each user's full interaction history in time order, CSR-style:
 * items of user u are items[offsets[u] .. offsets[u+1]).
 * devicePeriodStart[u] is the absolute index in `items` where u's device period begins.
 */
export interface UserHistories {
  offsets: Int32Array; // [numUsers + 1]
  items: Int32Array; // [numInteractions]
  devicePeriodStart: Int32Array; // [numUsers]
  /** Source user ids as text, index = dense user index. */
  sourceIds: string[];
}

export interface PreprocessOptions {
  /** Interactions per user that form the device period (test). Default 10. */
  devicePeriod: number;
  /** Click-sequence length. Default 30. */
  seqLen: number;
  /** Negatives per positive. Default 4. */
  negatives: number;
  minUserInteractions: number; // default 20
  minItemInteractions: number; // default 5
  seed: number;
  /**
   * Keep only each user's most recent N train targets (unset = all). Rows carry two
   * full sequences each (~250 bytes), so ML-1M unbounded is ~1.2 GB of samples.
   */
  maxTrainPerUser?: number;
  /**
   * Budget for the sample arrays; when all train targets would exceed it and
   * maxTrainPerUser is unset, preprocessing sets maxTrainPerUser to the largest cap
   * that fits. Unset = no budget. importFiles defaults it to 256 MB (browser memory).
   */
  maxSampleBytes?: number;
}

export interface DatasetStats {
  users: number;
  items: number;
  interactions: number;
  trainSamples: number;
  validSamples: number;
  testSamples: number;
  /** Positive rows per split (every positive is kept; nothing is capped silently). Absent in records stored before they existed. */
  trainPositives?: number;
  validPositives?: number;
  testPositives?: number;
  /** Users and items removed by filtering (too few interactions), with respect to the file. */
  droppedUsers?: number;
  droppedItems?: number;
  /** Mean interactions per user. */
  meanHistory: number;
  /** Fraction of interactions on the 10% most popular items. */
  top10PctShare: number;
}

/** Simulated ground truth, only for generated datasets (the default one). */
export interface SimulatedTruth {
  genres: string[];
  /** Per user: weight per genre in the cloud period and in the device period. */
  cloudInterest: number[][];
  deviceInterest: number[][];
}

export type DatasetFormat = 'default' | 'movielens' | 'amazon' | 'sasrec' | 'duet';

export interface DatasetSummary {
  id: string;
  name: string;
  format: DatasetFormat;
  createdAt: number;
  stats: DatasetStats;
}

export interface Dataset extends DatasetSummary {
  numItems: number;
  numUsers: number;
  /** Index = item id; items[0] is the padding placeholder. */
  items: ItemMeta[];
  train: SampleSet;
  /** Last cloud-period positive of each user (+ negatives): model selection. */
  valid: SampleSet;
  /** Device period (out of distribution): evaluation. */
  test: SampleSet;
  /** Absent for the DUET text format, which has samples only. */
  histories?: UserHistories;
  truth?: SimulatedTruth;
  options: PreprocessOptions;
}

/** A person-readable failure the UI can show as is. */
export class DataError extends Error {
  constructor(
    readonly code:
      | 'empty'
      | 'columns'
      | 'non-numeric'
      | 'binary'
      | 'zip-unknown'
      | 'too-small'
      | 'quota'
      | 'blocked'
      | 'cancelled'
      | 'not-found'
      | 'unknown',
    message: string,
  ) {
    super(message);
    this.name = 'DataError';
  }
}

export interface ImportProgress {
  stage: 'reading' | 'parsing' | 'preprocessing' | 'storing';
  /** 0..1 when known */
  fraction: number;
  message: string;
}
