// Import + prepare time for a ratings log, as the CLI does it (the file as bytes, then
// importFiles), and optionally the training rate over N steps through the CLI's own path
// (trainMethods -> trainModel, stopped by a cancel after N steps). Run under /usr/bin/time -v
// for peak memory:
//
//   /usr/bin/time -v node --import tsx --import ./src/engine/node/register-tfjs.mjs scripts/measure-import.ts /tmp/ml1m.dat
//   ... scripts/measure-import.ts /tmp/ml1m.dat --train-steps 300 --method duet
//   ... scripts/measure-import.ts /tmp/ml1m.dat --compare-bench 40 --method duet
//   ... scripts/measure-import.ts datasets/default/items.csv,datasets/default/interactions.csv --negatives-epochs 3 --users 300
//
// --train-steps reports, besides the rate the CLI prints (`samplesPerSecond`: all steps from
// the start of the epoch, so it includes the epoch's shuffle and the first steps' warm-up),
// the steady rate over the last 4/5 of the steps in wall time and per CPU second of this
// process (steadier on a shared machine), and the time to build one batch from the
// histories (readRows: sequences + drawn negatives), measured apart on the same rows.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { importFiles, subsampleUsers } from '../src/data';
import { readRows } from '../src/data/samples';
import { initBackend } from '../src/engine/backend';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../src/engine/defaults';
import { createModel, disposeModel, type ModelMethod } from '../src/engine/model';
import { trainMethods } from '../src/engine/orchestrate';
import { epochOrder, trainModel } from '../src/engine/train';
import { EngineError } from '../src/engine/types';
import { gatherRows } from '../src/engine/batch';
import { createOptimizer } from '../src/engine/step';
import { runSteps, syntheticBatches } from '../bench/workload';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'train-steps': { type: 'string', default: '0' },
    method: { type: 'string', default: 'base' },
    backbone: { type: 'string', default: 'sasrec' },
    'batch-size': { type: 'string', default: '256' },
    'negatives-epochs': { type: 'string', default: '0' },
    users: { type: 'string' },
    'compare-bench': { type: 'string', default: '0' },
  },
});
const path = positionals[0];
if (!path)
  throw new Error('usage: measure-import.ts FILE[,FILE] [--train-steps N] [--compare-bench N] [--method base|duet] [--negatives-epochs N]');
const wholeNumber = (flag: string, text: string, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be a whole number >= ${min}, not "${text}"`);
  return n;
};

const started = performance.now();
const files = await Promise.all(path.split(',').map(async (p) => ({ name: basename(p), data: new Uint8Array(await readFile(p)) })));
const load = (trainNegatives: 'epoch' | 'fixed') => importFiles(files, 'auto', basename(path), { preprocess: { trainNegatives } });
const dataset = await load('epoch');
const importSeconds = (performance.now() - started) / 1000;
const report: Record<string, unknown> = { file: path, importSeconds: +importSeconds.toFixed(2), ...dataset.stats };

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const steps = wholeNumber('train-steps', values['train-steps'], 0);
if (steps > 0) {
  const backend = await initBackend('wasm');
  const batchSize = wholeNumber('batch-size', values['batch-size'], 1);
  const method = values.method as ModelMethod;
  const seed = 42;
  if (steps < 20 || steps % 20 !== 0) throw new Error('--train-steps must be a multiple of 20 (progress is reported every 20 steps)');
  // The data side alone: build the first `steps` batches of epoch 1 as training does.
  const order = epochOrder(dataset.train.count, seed, 0);
  const gatherStart = performance.now();
  for (let s = 0; s < steps; s++) readRows(dataset.train, order.subarray(s * batchSize, (s + 1) * batchSize), 0);
  const gatherMs = (performance.now() - gatherStart) / steps;

  const warm = steps / 5;
  const marks: { step: number; wall: number; cpu: number; rate: number }[] = [];
  const stop = new AbortController();
  try {
    await trainMethods(dataset, {
      backbone: values.backbone as 'sasrec',
      methods: [method],
      model: defaultModelConfig(values.backbone as 'sasrec', dataset.numItems, { seqLen: dataset.train.seqLen }),
      duet: defaultDuetConfig(),
      train: defaultTrainConfig({ epochs: 1, seed, batchSize }),
      where: 'cli',
      signal: stop.signal,
      onProgress: (p) => {
        if (p.validUauc !== undefined) return;
        marks.push({ step: p.step, wall: performance.now(), cpu: cpuSeconds(), rate: p.samplesPerSecond });
        if (p.step >= steps) stop.abort();
      },
    });
  } catch (error) {
    if (!(error instanceof EngineError && error.code === 'cancelled')) throw error;
  }
  const from = marks.find((m) => m.step >= warm);
  const to = marks.at(-1);
  if (!from || !to || to.step < steps) throw new Error(`training stopped after ${to?.step ?? 0} of ${steps} steps`);
  const samples = (to.step - from.step) * batchSize;
  report.backend = backend.name;
  report.method = method;
  report.trainSteps = to.step;
  report.samplesPerSecond = Math.round(to.rate);
  const steady = samples / ((to.wall - from.wall) / 1000);
  report.steadySamplesPerSecond = Math.round(steady);
  report.samplesPerCpuSecond = Math.round(samples / (to.cpu - from.cpu));
  report.batchBuildMs = +gatherMs.toFixed(2);
  report.stepMs = +((1000 * batchSize) / steady).toFixed(1);
  report.epochEtaMinutes = +(dataset.train.count / steady / 60).toFixed(1);
}
// The model step alone on this log's batches vs the benchmark's log-shaped batches (bench/workload.ts,
// same catalog size), interleaved A B A B in one process: does anything about a real log slow the step?
const compareSteps = wholeNumber('compare-bench', values['compare-bench'], 0);
if (compareSteps > 0) {
  await initBackend('wasm');
  const batchSize = wholeNumber('batch-size', values['batch-size'], 1);
  const order = epochOrder(dataset.train.count, 42, 0);
  const logBatches = Array.from({ length: compareSteps }, (_, s) =>
    gatherRows(dataset.train, order.subarray(s * batchSize, (s + 1) * batchSize), false, 0),
  );
  const benchBatches = syntheticBatches({ numItems: dataset.numItems, batchSize }, 8, dataset.train.seqLen, 'log');
  const perCpuSecond: Record<string, number[]> = { log: [], bench: [] };
  for (let round = 0; round < 2; round++) {
    for (const [name, hosts] of [
      ['log', logBatches],
      ['bench', benchBatches],
    ] as const) {
      const model = createModel(
        defaultModelConfig(values.backbone as 'sasrec', dataset.numItems, { seqLen: dataset.train.seqLen }),
        values.method as ModelMethod,
        defaultDuetConfig(),
        1,
      );
      const optimizer = createOptimizer(model, 1e-3);
      await runSteps(model, optimizer, hosts, 2);
      const cpu = cpuSeconds();
      await runSteps(model, optimizer, hosts, compareSteps);
      perCpuSecond[name].push(Math.round((compareSteps * batchSize) / (cpuSeconds() - cpu)));
      optimizer.dispose();
      disposeModel(model);
    }
  }
  report.compareBench = { method: values.method, steps: compareSteps, samplesPerCpuSecond: perCpuSecond };
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
