// One orchestration for the CLI, the worker and the bench: train a list of methods for a
// backbone (saving through the caller's callback), evaluate trained models (with the per-user
// fine-tune baseline on request), report progress over the whole run, and the fine-tune click.
import type { Dataset } from '../data/types';
import { evaluateModel } from './evaluate';
import { evaluateFinetune } from './finetune';
import { disposeModel, type ModelMethod, type RecModel } from './model';
import { finetuneOnSession, rankCatalog } from './session';
import { trainModel, type EpochRecord } from './train';
import {
  EngineError,
  type Backbone,
  type DuetConfig,
  type Metrics,
  type ModelConfig,
  type Recommendation,
  type SerializedModel,
  type TrainConfig,
  type TrainProgress,
} from './types';

export type TrainableMethod = ModelMethod;
export const trainableMethods: readonly TrainableMethod[] = ['base', 'duet', 'duet-swa'];
export const backbones: readonly Backbone[] = ['sasrec', 'gru4rec', 'din'];

/** Progress of the current phase plus the whole run (structurally workers/api.ts RunProgress). */
export interface RunProgress extends TrainProgress {
  /** 0..1 over all methods and epochs; never goes back. */
  overallFraction: number;
  /** Seconds left for the whole run, from the speed measured in this run; undefined until measured. */
  overallEtaSeconds?: number;
  methodIndex: number;
  methodCount: number;
}

export interface MethodRun {
  method: TrainableMethod;
  /** Test-set metrics of the selected (best-by-validation) weights. */
  metrics: Metrics;
  /** One record per epoch trained in this run (resumed epochs are not repeated). */
  history: EpochRecord[];
  /** The epoch whose weights were kept (best validation UAUC); null when it was trained before a resume. */
  selectedEpoch: number | null;
  /** Samples per second over this method's training steps, for estimates. */
  samplesPerSecond: number;
}

export interface TrainMethodsOptions {
  backbone: Backbone;
  methods: readonly TrainableMethod[];
  model: ModelConfig;
  duet: DuetConfig;
  train: TrainConfig;
  where: 'cli' | 'browser';
  signal?: AbortSignal;
  /** The checkpoint to resume a method from, if any. */
  resumeFrom?: (method: TrainableMethod) => Promise<SerializedModel | undefined>;
  /** Stores a checkpoint: after every epoch (`final` false) and the finished model (`final` true). */
  save?: (method: TrainableMethod, checkpoint: SerializedModel, final: boolean) => Promise<void>;
  onProgress?: (p: RunProgress) => void;
  /** Sees each trained (best-by-validation) model before it is disposed. */
  onTrained?: (method: TrainableMethod, model: RecModel, run: MethodRun) => Promise<void>;
  /** Adds the per-user fine-tune baseline, evaluated from the Base model of this run. */
  finetune?: boolean;
  onFinetuneProgress?: (p: TrainProgress) => void;
}

export interface TrainMethodsResult {
  runs: MethodRun[];
  /** Present when `finetune` was asked and Base was among the methods. */
  finetune?: Metrics;
}

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new EngineError('cancelled', 'Training was cancelled.');
}

/** The epoch train.ts keeps: the latest one whose validation UAUC beats every earlier one (NaN counts as no signal). */
export function selectedEpoch(history: EpochRecord[], resumedBest = Number.NEGATIVE_INFINITY): number | null {
  let best = resumedBest;
  let chosen: number | null = null;
  for (const r of history) {
    if (!(r.validUauc <= best)) {
      best = Number.isNaN(r.validUauc) ? best : r.validUauc;
      chosen = r.epoch;
    }
  }
  return chosen;
}

/** Whole-run progress: each method weighs the same; fraction and ETA from this run's own pace. */
export class RunMeter {
  private best = 0;
  private readonly startedAt = performance.now();
  private startFraction: number | undefined;

  constructor(private readonly methodCount: number) {}

  update(methodIndex: number, p: TrainProgress): RunProgress {
    const within = Math.min(1, (p.epoch - 1 + p.step / Math.max(1, p.stepsPerEpoch)) / Math.max(1, p.epochs));
    const fraction = Math.min(1, (methodIndex + within) / this.methodCount);
    this.startFraction ??= Math.min(fraction, (methodIndex + (p.epoch - 1) / Math.max(1, p.epochs)) / this.methodCount);
    this.best = Math.max(this.best, fraction);
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const done = this.best - this.startFraction;
    const overallEtaSeconds = done > 0 && elapsed > 0.5 ? (elapsed * (1 - this.best)) / done : undefined;
    return { ...p, overallFraction: this.best, overallEtaSeconds, methodIndex, methodCount: this.methodCount };
  }
}

/**
 * Trains each method in turn. A cancel is honoured between steps, after every save (also
 * while storing) and between methods; a failing `save` (e.g. the dataset was deleted) stops the run.
 */
export async function trainMethods(dataset: Dataset, options: TrainMethodsOptions): Promise<TrainMethodsResult> {
  const { methods, signal } = options;
  if (dataset.train.count === 0) {
    throw new EngineError('no-samples', `"${dataset.name}" has no training samples, so there is nothing to train on.`);
  }
  const meter = new RunMeter(methods.length);
  const runs: MethodRun[] = [];
  let finetune: Metrics | undefined;
  for (const [index, method] of methods.entries()) {
    throwIfCancelled(signal);
    const checkpoint = await options.resumeFrom?.(method);
    let samplesPerSecond = 0;
    const result = await trainModel(dataset, {
      method,
      model: options.model,
      duet: options.duet,
      train: { ...options.train, epochs: Math.max(options.train.epochs, checkpoint?.epochsDone ?? 0) },
      resumeFrom: checkpoint,
      signal,
      where: options.where,
      onProgress: (p) => {
        samplesPerSecond = p.samplesPerSecond;
        options.onProgress?.(meter.update(index, p));
      },
      // A finished epoch is stored even when cancel was pressed meanwhile; the run stops right after.
      onEpochEnd: async (c) => {
        await options.save?.(method, c, false);
        throwIfCancelled(signal);
      },
    });
    try {
      throwIfCancelled(signal);
      await options.save?.(method, result.checkpoint, true);
      throwIfCancelled(signal);
      const run: MethodRun = {
        method,
        metrics: result.metrics,
        history: result.history,
        samplesPerSecond,
        selectedEpoch: selectedEpoch(result.history, checkpoint?.bestValidUauc),
      };
      runs.push(run);
      await options.onTrained?.(method, result.model, run);
      if (method === 'base' && options.finetune) {
        finetune = await evaluateFinetune(result.model, dataset, options.train, { signal, onProgress: options.onFinetuneProgress });
      }
    } finally {
      disposeModel(result.model);
    }
  }
  return { runs, ...(finetune ? { finetune } : {}) };
}

/**
 * Test metrics of stored models, keyed by method; `finetune: true` adds the per-user
 * fine-tune baseline from the Base model (key 'finetune').
 */
export async function evaluateMethods(
  dataset: Dataset,
  methods: readonly TrainableMethod[],
  load: (method: TrainableMethod) => Promise<RecModel>,
  options: { finetune?: boolean; train: TrainConfig; signal?: AbortSignal; onProgress?: (p: TrainProgress) => void },
): Promise<Record<string, Metrics>> {
  const results: Record<string, Metrics> = {};
  for (const method of methods) {
    if (options.signal?.aborted) throw new EngineError('cancelled', 'Evaluation was cancelled.');
    const model = await load(method);
    results[method] = await evaluateModel(model, dataset.test, dataset);
    if (method === 'base' && options.finetune) {
      results.finetune = await evaluateFinetune(model, dataset, options.train, { signal: options.signal, onProgress: options.onProgress });
    }
  }
  return results;
}

/**
 * The live fine-tune click: a copy of Base after `steps` Adam steps on the session's clicks,
 * then its top-k over the catalog. The copy is disposed here.
 */
export async function finetuneAndRank(
  base: RecModel,
  deviceSequence: Int32Array,
  options: { steps: number; seed: number; k: number; exclude?: Int32Array },
): Promise<Recommendation[]> {
  const tuned = finetuneOnSession(base, deviceSequence, options.steps, options.seed);
  try {
    return await rankCatalog(tuned, deviceSequence, options.k, options.exclude);
  } finally {
    disposeModel(tuned);
  }
}
