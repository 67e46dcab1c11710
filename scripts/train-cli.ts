// The training CLI's flags and JSON summary, apart from running anything so both can be tested.
import { parseArgs } from 'node:util';
import type { DatasetFormat, Dataset } from '../src/data/types';
import { backbones, trainableMethods, type MethodRun, type TrainableMethod } from '../src/engine/orchestrate';
import type { Backbone, DuetConfig, Metrics, ModelConfig, TrainConfig } from '../src/engine/types';

/** A flag the user got wrong: printed as is, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export const formats: readonly (DatasetFormat | 'auto')[] = ['auto', 'movielens', 'amazon', 'sasrec', 'duet', 'default'];
export const cliBackends = ['wasm', 'cpu'] as const;
const methodWords = [...trainableMethods, 'finetune', 'all'] as const;

export interface TrainArgs {
  /** `--help`: print the usage and exit 0. */
  help: boolean;
  data: string;
  format: DatasetFormat | 'auto';
  backbone: Backbone;
  /** Methods to train, in order (Base first when the fine-tune baseline needs it). */
  methods: TrainableMethod[];
  /** Which trained methods' metrics are reported (Base is trained but not reported for `--method finetune`). */
  reported: TrainableMethod[];
  finetune: boolean;
  backend: (typeof cliBackends)[number];
  dryRun: boolean;
  json?: string;
  saveModel?: string;
  epochs: number;
  seed: number;
  batchSize?: number;
  learningRate?: number;
  dim?: number;
  maskPadding: boolean;
  duet: Pick<DuetConfig, 'freezeProjections' | 'generatorInput' | 'projectionScale' | 'swa'>;
}

export const usage = `usage: npm run train -- [--data default|FILE[,FILE...]] [--format ${formats.join('|')}]
  [--backbone ${backbones.join('|')}] [--method LIST of ${methodWords.join(',')}] [--epochs N] [--seed N]
  [--backend ${cliBackends.join('|')}] [--batch-size N] [--lr X] [--dim N] [--dry-run] [--json FILE] [--save-model FILE]
  [--freeze-projections] [--generator-input click|trigger] [--swa-generators N] [--swa-temperature X]
  [--projection-scale X] [--no-mask-padding]   (see docs/cli.md)`;

function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** A whole number >= min; "1.5", "abc", "1e3" and "" are refused. */
function integer(name: string, value: string, min: number): number {
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${name} must be a whole number (got "${value}")`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number >= ${min} (got "${value}")`);
  return n;
}

function positive(name: string, value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got "${value}")`);
  return n;
}

function methodList(value: string): { methods: TrainableMethod[]; reported: TrainableMethod[]; finetune: boolean } {
  const words = value
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 0) throw new UsageError('--method needs at least one method');
  const chosen = new Set(words.map((w) => choice('method', w, methodWords)));
  const reported = chosen.has('all') ? [...trainableMethods] : trainableMethods.filter((m) => chosen.has(m));
  const finetune = chosen.has('all') || chosen.has('finetune');
  const methods = trainableMethods.filter((m) => reported.includes(m) || (m === 'base' && finetune));
  return { methods, reported, finetune };
}

export function parseTrainArgs(argv: string[]): TrainArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        data: { type: 'string', default: 'default' },
        format: { type: 'string', default: 'auto' },
        backbone: { type: 'string', default: 'sasrec' },
        method: { type: 'string', default: 'all' },
        epochs: { type: 'string', default: '3' },
        seed: { type: 'string', default: '42' },
        backend: { type: 'string', default: 'wasm' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'string' },
        'save-model': { type: 'string' },
        dim: { type: 'string' },
        'batch-size': { type: 'string' },
        lr: { type: 'string' },
        'freeze-projections': { type: 'boolean', default: false },
        'generator-input': { type: 'string', default: 'click' },
        'swa-generators': { type: 'string', default: '4' },
        'swa-temperature': { type: 'string', default: '1' },
        'no-mask-padding': { type: 'boolean', default: false },
        'projection-scale': { type: 'string', default: '0.5' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = values as Record<string, string | boolean | undefined>;
  const str = (name: string) => v[name] as string;
  const opt = (name: string) => v[name] as string | undefined;
  return {
    help: v.help === true,
    data: str('data'),
    format: choice('format', str('format'), formats),
    backbone: choice('backbone', str('backbone'), backbones),
    ...methodList(str('method')),
    backend: choice('backend', str('backend'), cliBackends),
    dryRun: v['dry-run'] === true,
    json: opt('json'),
    saveModel: opt('save-model'),
    epochs: integer('epochs', str('epochs'), 1),
    seed: integer('seed', str('seed'), 0),
    batchSize: opt('batch-size') === undefined ? undefined : integer('batch-size', str('batch-size'), 1),
    learningRate: opt('lr') === undefined ? undefined : positive('lr', str('lr')),
    dim: opt('dim') === undefined ? undefined : integer('dim', str('dim'), 1),
    maskPadding: v['no-mask-padding'] !== true,
    duet: {
      freezeProjections: v['freeze-projections'] === true,
      generatorInput: choice('generator-input', str('generator-input'), ['click', 'trigger'] as const),
      projectionScale: positive('projection-scale', str('projection-scale')),
      swa: {
        generators: integer('swa-generators', str('swa-generators'), 1),
        temperature: positive('swa-temperature', str('swa-temperature')),
      },
    },
  };
}

const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);

function positives(count: number, label: Float32Array): number {
  let n = 0;
  for (let i = 0; i < count; i++) if (label[i] === 1) n++;
  return n;
}

/** The `dataset` block: DatasetStats, counted from the samples where a stored record lacks a field. */
export function datasetJson(d: Dataset) {
  const s = d.stats;
  return {
    users: s.users,
    items: s.items,
    interactions: s.interactions,
    train_positives:
      s.trainPositives ?? ('label' in d.train ? positives(d.train.count, d.train.label) : d.train.count / (1 + d.train.negatives)),
    valid_positives: s.validPositives ?? positives(d.valid.count, d.valid.label),
    test_positives: s.testPositives ?? positives(d.test.count, d.test.label),
    // Unknown once filtered away when the importer did not record it.
    dropped_users: s.droppedUsers ?? null,
    dropped_items: s.droppedItems ?? null,
  };
}

export function metricsJson(m: Metrics): Record<string, number | null> {
  return {
    auc: num(m.auc),
    uauc: num(m.uauc),
    logloss: num(m.logloss),
    ndcg5: num(m.ndcg5),
    ndcg10: num(m.ndcg10),
    ndcg20: num(m.ndcg20),
    hr5: num(m.hr5),
    hr10: num(m.hr10),
    hr20: num(m.hr20),
    ...(m.fullHr10 !== undefined ? { full_hr10: num(m.fullHr10), full_ndcg10: num(m.fullNdcg10) } : {}),
  };
}

export interface RunSummary {
  backbone: Backbone;
  backend: string;
  runs: MethodRun[];
  reported: TrainableMethod[];
  finetune?: Metrics;
  trainSeconds: number;
  weightChange: Record<string, number>;
  config: { model: ModelConfig; train: TrainConfig; duet: DuetConfig };
}

/** The JSON a training run writes; a dry run writes only `dataset`. */
export function summaryJson(dataset: Dataset, run?: RunSummary): Record<string, unknown> {
  if (!run) return { dataset: datasetJson(dataset) };
  const reported = run.runs.filter((r) => run.reported.includes(r.method));
  const methods: Record<string, Record<string, number | null>> = Object.fromEntries(
    reported.map((r) => [r.method, metricsJson(r.metrics)]),
  );
  if (run.finetune) methods.finetune = metricsJson(run.finetune);
  return {
    dataset: datasetJson(dataset),
    backbone: run.backbone,
    backend: run.backend,
    methods,
    history: Object.fromEntries(
      reported.map((r) => [
        r.method,
        r.history.map((h) => ({ epoch: h.epoch, loss: num(h.loss), valid_uauc: num(h.validUauc), test_uauc: num(h.testUauc) })),
      ]),
    ),
    selected_epoch: Object.fromEntries(reported.map((r) => [r.method, r.selectedEpoch])),
    train_seconds: run.trainSeconds,
    generated_weight_change_per_click: Object.fromEntries(Object.entries(run.weightChange).map(([m, w]) => [m, num(w)])),
    config: run.config,
  };
}
