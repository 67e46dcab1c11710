// Command-line training and evaluation (Node):
//   npm run train -- --data default --backbone sasrec --method all --epochs 3 --json out.json
// Prints a metrics table (sampled metrics labelled as sampled) and writes the JSON summary.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/engine/backend';
import { importFiles, type Dataset, type DatasetFormat } from '../src/data';
import { readDefaultDataset } from './default-dataset';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../src/engine/defaults';
import { trainModel, type TrainResult } from '../src/engine/train';
import { evaluateFinetune } from '../src/engine/finetune';
import { disposeModel, type ModelMethod } from '../src/engine/model';
import { encodeModelFile } from '../src/engine/serialize';
import { generatedWeightChange } from '../src/engine/stability';
import type { Backbone, Metrics } from '../src/engine/types';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'default' },
    format: { type: 'string', default: 'auto' },
    backbone: { type: 'string', default: 'sasrec' },
    method: { type: 'string', default: 'all' },
    epochs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '42' },
    backend: { type: 'string', default: 'wasm' },
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
});

function fail(message: string): never {
  console.error(`train: ${message}`);
  process.exit(2);
}

function choice<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(`--${name} must be one of ${allowed.join(', ')} (got ${value})`);
  return value as T;
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number (got ${value})`);
  return n;
}

const backbone = choice<Backbone>('backbone', values.backbone, ['sasrec', 'gru4rec', 'din']);
const methodArg = choice('method', values.method, ['base', 'duet', 'duet-swa', 'finetune', 'all'] as const);
const backendName = choice('backend', values.backend, ['wasm', 'cpu'] as const);
const format = choice<DatasetFormat | 'auto'>('format', values.format, ['auto', 'movielens', 'amazon', 'sasrec', 'duet', 'default']);
const generatorInput = choice('generator-input', values['generator-input'], ['click', 'trigger'] as const);

async function loadDataset(): Promise<Dataset> {
  if (values.data === 'default') {
    return readDefaultDataset();
  }
  const paths = values.data!.split(',');
  const files = await Promise.all(paths.map(async (p) => ({ name: basename(p), data: new Uint8Array(await readFile(p)) })));
  return importFiles(files, format, basename(paths[0]));
}

const COLUMNS: [keyof Metrics, string][] = [
  ['auc', 'AUC'], ['uauc', 'UAUC'], ['logloss', 'logloss'], ['ndcg5', 'NDCG@5*'], ['ndcg10', 'NDCG@10*'], ['ndcg20', 'NDCG@20*'],
  ['hr5', 'HR@5*'], ['hr10', 'HR@10*'], ['hr20', 'HR@20*'], ['fullHr10', 'full HR@10'], ['fullNdcg10', 'full NDCG@10'],
];

function printTable(results: Record<string, Metrics>): void {
  const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(4));
  const rows = [['method', ...COLUMNS.map(([, label]) => label)], ...Object.entries(results).map(([m, r]) => [m, ...COLUMNS.map(([k]) => fmt(r[k]))])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c])).join('  '));
  console.log('* sampled: the target ranked among its sampled negatives only (DUET.md "Metrics"); full = among the whole catalog.');
}

function toJson(m: Metrics): Record<string, number | null> {
  const num = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? null : v);
  return {
    auc: num(m.auc), uauc: num(m.uauc), logloss: num(m.logloss),
    ndcg5: num(m.ndcg5), ndcg10: num(m.ndcg10), ndcg20: num(m.ndcg20), hr5: num(m.hr5), hr10: num(m.hr10), hr20: num(m.hr20),
    ...(m.fullHr10 !== undefined ? { full_hr10: num(m.fullHr10), full_ndcg10: num(m.fullNdcg10) } : {}),
  };
}

function modelPath(path: string, method: string, several: boolean): string {
  if (!several) return path;
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}.${method}${ext || '.duet'}`;
}

async function main(): Promise<void> {
  const backend = await initBackend(backendName);
  const dataset = await loadDataset();
  console.error(
    `dataset ${dataset.name}: ${dataset.numUsers} users, ${dataset.numItems} items, ` +
      `${dataset.train.count} train / ${dataset.valid.count} valid / ${dataset.test.count} test samples; backend ${backend.name}`,
  );
  const model = defaultModelConfig(backbone, dataset.numItems, {
    seqLen: dataset.train.seqLen, maskPadding: !values['no-mask-padding'], ...(values.dim ? { dim: positive('dim', values.dim) } : {}),
  });
  const train = defaultTrainConfig({
    epochs: positive('epochs', values.epochs), seed: Number(values.seed),
    ...(values['batch-size'] ? { batchSize: positive('batch-size', values['batch-size']) } : {}),
    ...(values.lr ? { learningRate: positive('lr', values.lr) } : {}),
  });
  const duet = defaultDuetConfig({
    freezeProjections: values['freeze-projections'], generatorInput, projectionScale: positive('projection-scale', values['projection-scale']),
    swa: { enabled: true, generators: positive('swa-generators', values['swa-generators'])!, temperature: positive('swa-temperature', values['swa-temperature'])! },
  });
  const methods: ModelMethod[] = methodArg === 'all' ? ['base', 'duet', 'duet-swa'] : methodArg === 'finetune' ? ['base'] : [methodArg];
  const wantFinetune = methodArg === 'all' || methodArg === 'finetune';
  const results: Record<string, Metrics> = {};
  const weightChange: Record<string, number> = {};
  const started = performance.now();
  for (const method of methods) {
    const t0 = performance.now();
    const result: TrainResult = await trainModel(dataset, {
      method, model, duet, train, where: 'cli',
      onProgress: (p) => {
        if (p.validUauc === undefined && p.step % 100 === 0) {
          console.error(`${method} epoch ${p.epoch} step ${p.step}/${p.stepsPerEpoch}: loss ${p.loss.toFixed(4)}, ${Math.round(p.samplesPerSecond)} samples/s`);
        }
        if (p.validUauc !== undefined) {
          console.error(`${method} epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(4)}, valid UAUC ${p.validUauc.toFixed(4)}, test UAUC ${p.testUauc?.toFixed(4)}, ${Math.round(p.samplesPerSecond)} samples/s`);
        }
      },
    });
    console.error(`${method}: trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (methodArg !== 'finetune') results[method] = result.metrics;
    if (values['save-model']) {
      const path = modelPath(values['save-model'], method, methods.length > 1);
      await writeFile(path, new Uint8Array(encodeModelFile({ ...result.checkpoint, optimizer: undefined, resumeWeights: undefined })));
      console.error(`saved ${path}`);
    }
    if (method !== 'base') weightChange[method] = await generatedWeightChange(result.model, dataset);
    if (method === 'base' && wantFinetune) {
      const t1 = performance.now();
      results.finetune = await evaluateFinetune(result.model, dataset, train);
      console.error(`finetune: evaluated in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    }
    disposeModel(result.model);
  }
  const trainSeconds = (performance.now() - started) / 1000;
  console.log(`\n${backbone} on ${dataset.name} (${backend.name}, ${train.epochs} epochs, seed ${train.seed}); device-period test set`);
  printTable(results);
  for (const [m, v] of Object.entries(weightChange)) {
    console.log(`${m}: generated parameters change by ${(100 * v).toFixed(2)}% per device click (mean relative L2, 50 users)`);
  }
  if (values.json) {
    const summary = {
      backbone, backend: backend.name,
      methods: Object.fromEntries(Object.entries(results).map(([m, r]) => [m, toJson(r)])),
      train_seconds: trainSeconds,
      generated_weight_change_per_click: weightChange,
      config: { model, train, duet },
    };
    await writeFile(values.json, `${JSON.stringify(summary, null, 2)}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(`train: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
