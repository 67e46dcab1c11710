// Shared data contracts. Item ids are dense integers 1..numItems; 0 is padding (docs/method.md, "Samples").

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

/**
 * Samples in the reference's format (docs/method.md, "Samples"), every row given with its sequences: the DUET
 * text format and hand-made sets. `kind` is absent in records stored before the other kinds.
 */
export interface SampleSet {
  kind?: 'rows';
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
 * Rows with fixed targets whose sequences are read from the histories when a batch is built
 * (validation and test of every format with histories): memory grows with rows, not rows x seqLen.
 */
export interface HistorySampleSet {
  kind: 'history';
  count: number;
  seqLen: number;
  user: Int32Array;
  target: Int32Array;
  label: Float32Array;
  /** [count] index in histories.items of the row's positive: its click sequence is the seqLen items before it. */
  position: Int32Array;
  /** Test rows: the device-period items before `position` form the trigger sequence. */
  withTrigger: boolean;
  /** The dataset's own histories (the same object; stored once). */
  histories: UserHistories;
}

/**
 * Training rows enumerated from the histories: every cloud-period interaction from a user's
 * 2nd to the one before the last is a positive, each followed by `negatives` items the user
 * never touched, drawn when a batch is built, seeded by (seed, epoch, position) so a resumed
 * run sees the same rows. Nothing per row is stored.
 */
export interface DrawnSampleSet {
  kind: 'drawn';
  count: number;
  seqLen: number;
  negatives: number;
  seed: number;
  numItems: number;
  /** 'epoch': new negatives every epoch; 'fixed': the same negatives every epoch. */
  redraw: 'epoch' | 'fixed';
  histories: UserHistories;
}

/** Rows whose users, targets and labels are stored (what metrics read). */
export type LabeledSamples = SampleSet | HistorySampleSet;
export type Samples = SampleSet | HistorySampleSet | DrawnSampleSet;

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
  /** Training negatives: drawn anew each epoch (default) or the same every epoch. Test and validation negatives are always fixed. */
  trainNegatives?: 'epoch' | 'fixed';
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
  /** Rows dropped while reading: exact duplicates, and impossible timestamps (negative or in the future). */
  droppedDuplicates?: number;
  droppedBadTimestamps?: number;
  /** Sentences the UI and the CLI show beside the stats (e.g. a degenerate validation split). */
  warnings?: string[];
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

export type DatasetFormat = 'default' | 'movielens' | 'amazon' | 'sasrec' | 'duet' | 'recbole';

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
  train: SampleSet | DrawnSampleSet;
  /** Last cloud-period positive of each user (+ negatives): model selection. */
  valid: LabeledSamples;
  /** Device period (out of distribution): evaluation. */
  test: LabeledSamples;
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
      | 'too-large'
      | 'damaged'
      | 'bad-id'
      | 'old-record'
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
