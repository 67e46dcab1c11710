// Command-line training and evaluation (Node); flags and JSON in docs/cli.md:
//   npm run train -- --data default --backbone sasrec --method base,duet --epochs 3 --json out.json
// Prints a metrics table (sampled metrics labelled as sampled) and writes the JSON summary.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { initBackend } from '../src/engine/backend';
import { importFiles, type Dataset } from '../src/data';
import { readDefaultDataset } from './default-dataset';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../src/engine/defaults';
import { trainMethods } from '../src/engine/orchestrate';
import { encodeModelFile } from '../src/engine/serialize';
import { generatedWeightChange } from '../src/engine/stability';
import type { Metrics } from '../src/engine/types';
import { parseTrainArgs, summaryJson, usage, UsageError, type TrainArgs } from './train-cli';

async function loadDataset(args: TrainArgs): Promise<Dataset> {
  if (args.data === 'default') return readDefaultDataset();
  const paths = args.data.split(',');
  const files = await Promise.all(paths.map(async (p) => ({ name: basename(p), data: new Uint8Array(await readFile(p)) })));
  return importFiles(files, args.format, basename(paths[0]));
}

const COLUMNS: [keyof Metrics, string][] = [
  ['auc', 'AUC'],
  ['uauc', 'UAUC'],
  ['logloss', 'logloss'],
  ['ndcg5', 'NDCG@5*'],
  ['ndcg10', 'NDCG@10*'],
  ['ndcg20', 'NDCG@20*'],
  ['hr5', 'HR@5*'],
  ['hr10', 'HR@10*'],
  ['hr20', 'HR@20*'],
  ['fullHr10', 'full HR@10'],
  ['fullNdcg10', 'full NDCG@10'],
];

function printTable(results: Record<string, Metrics>): void {
  const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(4));
  const rows = [
    ['method', ...COLUMNS.map(([, label]) => label)],
    ...Object.entries(results).map(([m, r]) => [m, ...COLUMNS.map(([k]) => fmt(r[k]))]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c])).join('  '));
  console.log(
    "* sampled: computed per user over all of that user's device-period rows (positives and their sampled negatives); full = the target among the whole catalog.",
  );
}

function modelPath(path: string, method: string, several: boolean): string {
  if (!several) return path;
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}.${method}${ext || '.duet'}`;
}

async function main(args: TrainArgs): Promise<void> {
  const backend = await initBackend(args.backend);
  const dataset = await loadDataset(args);
  console.error(
    `dataset ${dataset.name}: ${dataset.numUsers} users, ${dataset.numItems} items, ` +
      `${dataset.train.count} train / ${dataset.valid.count} valid / ${dataset.test.count} test samples; backend ${backend.name}`,
  );
  const dropped = [
    dataset.stats.droppedUsers && `${dataset.stats.droppedUsers} users`,
    dataset.stats.droppedItems && `${dataset.stats.droppedItems} items`,
    dataset.stats.droppedDuplicates && `${dataset.stats.droppedDuplicates} duplicate rows`,
    dataset.stats.droppedBadTimestamps && `${dataset.stats.droppedBadTimestamps} rows with impossible timestamps`,
  ].filter(Boolean);
  if (dropped.length) console.error(`dropped while preparing: ${dropped.join(', ')}`);
  for (const warning of dataset.stats.warnings ?? []) console.error(`warning: ${warning}`);
  if (args.dryRun) {
    if (args.json) await writeFile(args.json, `${JSON.stringify(summaryJson(dataset), null, 2)}\n`);
    console.error(`dry run: nothing trained${args.json ? `; wrote ${args.json}` : ''}`);
  }
  if (dataset.train.count === 0) {
    throw new Error(`"${dataset.name}" has no training samples after preparation, so there is nothing to train on.`);
  }
  if (args.dryRun) return;
  const model = defaultModelConfig(args.backbone, dataset.numItems, {
    seqLen: dataset.train.seqLen,
    maskPadding: args.maskPadding,
    ...(args.dim ? { dim: args.dim } : {}),
  });
  const train = defaultTrainConfig({
    epochs: args.epochs,
    seed: args.seed,
    ...(args.batchSize ? { batchSize: args.batchSize } : {}),
    ...(args.learningRate ? { learningRate: args.learningRate } : {}),
  });
  const duet = defaultDuetConfig(args.duet);
  const weightChange: Record<string, number> = {};
  const started = performance.now();
  let methodStarted = started;
  const { runs, finetune } = await trainMethods(dataset, {
    backbone: args.backbone,
    methods: args.methods,
    model,
    duet,
    train,
    where: 'cli',
    finetune: args.finetune,
    onProgress: (p) => {
      const overall =
        `${(100 * p.overallFraction).toFixed(0)}% of the run` +
        (p.overallEtaSeconds === undefined ? '' : `, ~${Math.round(p.overallEtaSeconds)} s left`);
      if (p.validUauc === undefined && p.step % 100 === 0) {
        console.error(
          `${p.phase} epoch ${p.epoch} step ${p.step}/${p.stepsPerEpoch}: loss ${p.loss.toFixed(4)}, ${Math.round(p.samplesPerSecond)} samples/s (${overall})`,
        );
      }
      if (p.validUauc !== undefined) {
        console.error(
          `${p.phase} epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(4)}, valid UAUC ${p.validUauc.toFixed(4)}, test UAUC ${p.testUauc?.toFixed(4)}, ${Math.round(p.samplesPerSecond)} samples/s (${overall})`,
        );
      }
    },
    save: async (method, checkpoint, final) => {
      if (!final || !args.saveModel) return;
      const path = modelPath(args.saveModel, method, args.methods.length > 1);
      await writeFile(path, new Uint8Array(encodeModelFile({ ...checkpoint, optimizer: undefined, resumeWeights: undefined })));
      console.error(`saved ${path}`);
    },
    onTrained: async (method, trained) => {
      console.error(`${method}: trained in ${((performance.now() - methodStarted) / 1000).toFixed(1)} s`);
      if (method !== 'base') weightChange[method] = await generatedWeightChange(trained, dataset);
      methodStarted = performance.now();
    },
    onFinetuneProgress: (p) => console.error(`finetune: ${p.step}/${p.stepsPerEpoch} test users`),
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const results: Record<string, Metrics> = Object.fromEntries(
    runs.filter((r) => args.reported.includes(r.method)).map((r) => [r.method, r.metrics]),
  );
  if (finetune) results.finetune = finetune;
  console.log(
    `\n${args.backbone} on ${dataset.name} (${backend.name}, ${train.epochs} epochs, seed ${train.seed}); device-period test set`,
  );
  printTable(results);
  for (const r of runs) console.log(`${r.method}: kept epoch ${r.selectedEpoch ?? '-'} (best validation UAUC)`);
  for (const [m, v] of Object.entries(weightChange)) {
    console.log(`${m}: generated parameters change by ${(100 * v).toFixed(2)}% per device click (mean relative L2, 50 users)`);
  }
  if (args.json) {
    const summary = summaryJson(dataset, {
      backbone: args.backbone,
      backend: backend.name,
      runs,
      reported: args.reported,
      finetune,
      trainSeconds,
      weightChange,
      config: { model, train, duet },
    });
    await writeFile(args.json, `${JSON.stringify(summary, null, 2)}\n`);
  }
}

let args: TrainArgs;
try {
  args = parseTrainArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`train: ${error.message}\n${usage}`);
  process.exit(error.exitCode);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
main(args).catch((error: unknown) => {
  console.error(`train: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
