// A MovieLens-sized log in the tab (a measurement, not a test; not part of `npm test`):
// generates the log (scripts/synthetic-log.ts, seeded) unless it exists, imports it through
// the Data view's file input, then trains one epoch of SASRec in the Train view on WASM and
// records the ETA the page shows at ~5% and ~50% against the actual time, the samples/s it
// shows, and the browser's memory (RSS of this run's Chromium processes, sampled each second).
// Writes docs/results/big-log/tab-<preset>-<method>.json (or tab-<preset>-import.json).
//
//   npx vite build
//   CI=1 nice -n 10 npx playwright test -c playwright.bench.config.ts e2e/big-log.bench.ts
//   BIG_LOG=ml-1m METHOD=duet TRAIN_UNTIL=0.1 CI=1 nice -n 10 npx playwright test -c playwright.bench.config.ts e2e/big-log.bench.ts
//   BIG_LOG=ml-10m TRAIN_UNTIL=0 CI=1 nice -n 10 npx playwright test -c playwright.bench.config.ts e2e/big-log.bench.ts
//
// BIG_LOG: ml-1m (default) or ml-10m. METHOD: base (default) or duet. TRAIN_UNTIL: stop (cancel)
// once the run shows this fraction, 1 (default) = the whole epoch, 0 = import only (then the
// Train view's offer for the dataset is recorded as shown). BIG_LOG_DIR: where the log is
// generated (default /tmp/duet-big-log; never commit it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import base from '../playwright.config';
import {
  browserTag,
  chooseTraining,
  MemoryPeak,
  readProgress,
  trainButton,
  trainFailure,
  trainFinished,
  workerHeapMb,
  type ProgressReading,
} from './bench-meter';

const preset = process.env.BIG_LOG ?? 'ml-1m';
const method = process.env.METHOD ?? 'base';
const trainUntil = Number(process.env.TRAIN_UNTIL ?? 1);
const dir = process.env.BIG_LOG_DIR ?? '/tmp/duet-big-log';
const methodLabel: Record<string, string> = { base: 'Base', duet: 'DUET' };

const launch = base.use?.launchOptions ?? {};
test.use({ launchOptions: { ...launch, args: [...(launch.args ?? []), browserTag] } });

const load = () => loadavg().map((l) => +l.toFixed(2));

test(`${preset} log in the tab: import, then ${trainUntil > 0 ? `${methodLabel[method]} training` : 'the Train view'}`, async ({
  page,
}) => {
  expect(['ml-1m', 'ml-10m']).toContain(preset);
  expect(Object.keys(methodLabel)).toContain(method);
  // A measurement of a run that takes as long as it takes (a DUET epoch on ML-1M: ~25+ min).
  test.setTimeout(4 * 3600_000);
  const log = join(dir, `${preset}.dat`);
  if (!existsSync(log)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npx', ['tsx', 'scripts/synthetic-log.ts', '--preset', preset, '--out', log], { stdio: 'inherit' });
  }
  const result: Record<string, unknown> = {
    log: `scripts/synthetic-log.ts --preset ${preset}`,
    machine: { cpus: cpus().length, loadAtStart: load() },
    date: new Date().toISOString(),
  };

  await page.goto('/?backend=wasm#data');
  await page.getByRole('list', { name: 'Datasets in this browser' }).getByRole('listitem').first().waitFor({ timeout: 120_000 });
  const form = page.getByRole('form', { name: 'Import a dataset' });
  await form.locator('input[type="file"]').setInputFiles(log);
  await form.getByLabel('Name').fill(`${preset} sized`);
  const importMemory = new MemoryPeak();
  const importStart = Date.now();
  await form.getByRole('button', { name: 'Import' }).click();
  const imported = form.getByRole('status').filter({ hasText: 'Imported' });
  await expect(imported.or(form.getByRole('alert'))).toBeVisible({ timeout: 3600_000 });
  const importSeconds = (Date.now() - importStart) / 1000;
  result.import = {
    ok: await imported.isVisible(),
    message: (await imported.or(form.getByRole('alert')).textContent())?.trim(),
    seconds: +importSeconds.toFixed(1),
    ...importMemory.stop(),
    workerHeapMb: await workerHeapMb(page),
    loadAfter: load(),
  };
  console.log(JSON.stringify(result.import));
  expect(await imported.isVisible(), 'the import succeeded').toBe(true);

  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await chooseTraining(page, { epochs: 1, batchSize: 256, methods: [methodLabel[method]] });
  await expect(page.locator('[data-estimate]')).toHaveText(/About/, { timeout: 60_000 });
  result.backend = await page.locator('[data-backend]').getAttribute('data-backend');
  result.estimateBeforeRun = (await page.locator('[data-estimate]').textContent())?.trim();
  if (trainUntil <= 0) {
    result.trainView = (await page.locator('#train').innerText()).replace(/\n{2,}/g, '\n').slice(0, 2000);
  } else {
    const trainMemory = new MemoryPeak();
    const readings: ProgressReading[] = [];
    const started = Date.now();
    await trainButton(page).click();
    let cancelled = false;
    let lastWorkerHeap: number[] = [];
    while (true) {
      if (await trainFinished(page).or(trainFailure(page)).isVisible()) break;
      const r = await readProgress(page, started);
      if (r && (readings.length === 0 || r.percent !== readings.at(-1)!.percent)) {
        readings.push(r);
        if (r.percent % 10 === 0) console.log(JSON.stringify(r));
      }
      if (r && r.percent >= 100 * trainUntil && trainUntil < 1) {
        lastWorkerHeap = await workerHeapMb(page);
        await page.getByRole('button', { name: 'Cancel training' }).click();
        cancelled = true;
        break;
      }
      if (r && r.percent % 25 === 0) lastWorkerHeap = await workerHeapMb(page);
      await page.waitForTimeout(2000);
    }
    const endSeconds = (Date.now() - started) / 1000;
    const failure = (await trainFailure(page).isVisible()) ? await trainFailure(page).textContent() : null;
    const at = (p: number) => readings.find((r) => r.percent >= p && r.etaSeconds !== null);
    const etaAt = (p: number) => {
      const r = at(p);
      return (
        r && {
          atSeconds: +r.t.toFixed(1),
          percent: r.percent,
          etaShownSeconds: r.etaSeconds,
          predictedTotalSeconds: +(r.t + r.etaSeconds!).toFixed(1),
          samplesPerSecondShown: r.samplesPerSecond,
        }
      );
    };
    const last = readings.at(-1);
    result.training = {
      method,
      epochs: 1,
      batchSize: 256,
      cancelledAt: cancelled ? last?.percent : undefined,
      failure,
      firstProgressSeconds: readings[0] && +readings[0].t.toFixed(1),
      eta5: etaAt(5),
      eta50: etaAt(50),
      stepsDoneSeconds: readings.find((r) => r.percent >= 100)?.t,
      finishedSeconds: cancelled || failure ? undefined : +endSeconds.toFixed(1),
      lastSamplesPerSecondShown: last?.samplesPerSecond,
      ...trainMemory.stop(),
      workerHeapMb: lastWorkerHeap,
      loadAfter: load(),
      readings: readings.map((r) => [+r.t.toFixed(1), r.percent, r.samplesPerSecond, r.etaSeconds]),
    };
    expect(failure).toBeNull();
  }
  result.machine = { ...(result.machine as object), loadAtEnd: load() };
  mkdirSync('docs/results/big-log', { recursive: true });
  const out = `docs/results/big-log/tab-${preset}-${trainUntil > 0 ? method : 'import'}.json`;
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${out}`);
});
