// Import + prepare time for a ratings log, as the CLI does it (the file as bytes, then
// importFiles), and optionally the training rate over N steps. Run under /usr/bin/time -v
// for peak memory:
//
//   /usr/bin/time -v node --import tsx --import ./src/engine/node/register-tfjs.mjs scripts/measure-import.ts /tmp/ml1m.dat
//   ... scripts/measure-import.ts /tmp/ml1m.dat --steps 200 --method duet
//   ... scripts/measure-import.ts datasets/default/items.csv,datasets/default/interactions.csv --negatives-epochs 3 --users 300
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { importFiles, subsampleUsers } from '../src/data';
import { initBackend } from '../src/engine/backend';
import { disposeBatch, gatherRows, toBatch } from '../src/engine/batch';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../src/engine/defaults';
import { createModel, disposeModel, type ModelMethod } from '../src/engine/model';
import { createOptimizer, trainStep } from '../src/engine/step';
import { epochOrder, trainModel } from '../src/engine/train';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    steps: { type: 'string', default: '0' },
    method: { type: 'string', default: 'base' },
    backbone: { type: 'string', default: 'sasrec' },
    'batch-size': { type: 'string', default: '256' },
    'negatives-epochs': { type: 'string', default: '0' },
    users: { type: 'string' },
  },
});
const path = positionals[0];
if (!path) throw new Error('usage: measure-import.ts FILE[,FILE] [--steps N --method base|duet] [--negatives-epochs N]');

const started = performance.now();
const files = await Promise.all(path.split(',').map(async (p) => ({ name: basename(p), data: new Uint8Array(await readFile(p)) })));
const load = (trainNegatives: 'epoch' | 'fixed') => importFiles(files, 'auto', basename(path), { preprocess: { trainNegatives } });
const dataset = await load('epoch');
const importSeconds = (performance.now() - started) / 1000;
const report: Record<string, unknown> = { file: path, importSeconds: +importSeconds.toFixed(2), ...dataset.stats };

const steps = Number(values.steps);
if (steps > 0) {
  await initBackend('wasm');
  const batchSize = Number(values['batch-size']);
  const method = values.method as ModelMethod;
  const model = createModel(
    defaultModelConfig(values.backbone as 'sasrec', dataset.numItems, { seqLen: dataset.train.seqLen }),
    method,
    defaultDuetConfig(),
    1,
  );
  const optimizer = createOptimizer(model, 1e-3);
  const order = epochOrder(dataset.train.count, 1, 0);
  const useTrigger = false;
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const rows = order.subarray(s * batchSize, (s + 1) * batchSize);
    const batch = toBatch(gatherRows(dataset.train, rows, useTrigger, 0));
    const loss = trainStep(model, optimizer, batch);
    if (s === steps - 1) await loss.data();
    loss.dispose();
    disposeBatch(batch);
  }
  const seconds = (performance.now() - t0) / 1000;
  report.trainSteps = steps;
  report.samplesPerSecond = Math.round((steps * batchSize) / seconds);
  report.epochEtaMinutes = +(dataset.train.count / ((steps * batchSize) / seconds) / 60).toFixed(1);
  optimizer.dispose();
  disposeModel(model);
}
// Training negatives redrawn per epoch vs fixed: validation UAUC per epoch of the same run otherwise.
const compareEpochs = Number(values['negatives-epochs']);
if (compareEpochs > 0) {
  await initBackend('wasm');
  for (const redraw of ['epoch', 'fixed'] as const) {
    const whole = redraw === 'epoch' ? dataset : await load('fixed');
    const d = values.users ? subsampleUsers(whole, Number(values.users)).dataset : whole;
    const result = await trainModel(d, {
      method: values.method as ModelMethod,
      model: defaultModelConfig(values.backbone as 'sasrec', d.numItems, { seqLen: d.train.seqLen }),
      duet: defaultDuetConfig(),
      train: defaultTrainConfig({ epochs: compareEpochs, seed: 42 }),
      where: 'cli',
      onProgress: (p) =>
        p.validUauc !== undefined &&
        console.error(`${redraw}: epoch ${p.epoch} valid ${p.validUauc.toFixed(4)} test ${p.testUauc?.toFixed(4)}`),
    });
    report[`validUauc_${redraw}`] = result.history.map((h) => +h.validUauc.toFixed(4));
    report[`testUauc_${redraw}`] = result.history.map((h) => +h.testUauc.toFixed(4));
    disposeModel(result.model);
  }
}
console.log(JSON.stringify(report, null, 2));
