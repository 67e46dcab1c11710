// Training time in the tab on the default dataset (a measurement, not a test; not part of
// `npm test`): SASRec, Base then DUET, 3 epochs, batch 256, on WASM, from the Train button to
// "Training finished". Prints the wall time per method (from the progress line's phase: each
// method's training steps, its per-epoch evaluation and its storing) and writes
// docs/results/big-log/tab-default-train.json. On an idle machine:
//
//   npx vite build
//   CI=1 npx playwright test -c playwright.bench.config.ts e2e/default-train.bench.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { test, expect } from '@playwright/test';
import base from '../playwright.config';
import { browserTag, chooseTraining, MemoryPeak, readProgress, trainButton, trainFailure, trainFinished } from './bench-meter';

const launch = base.use?.launchOptions ?? {};
test.use({ launchOptions: { ...launch, args: [...(launch.args ?? []), browserTag] } });

const load = () => loadavg().map((l) => +l.toFixed(2));

test('default dataset: Base + DUET SASRec, 3 epochs, in the tab', async ({ page }) => {
  // A measurement of a run that takes as long as it takes on the machine at hand.
  test.setTimeout(3600_000);
  const loadAtStart = load();
  await page.goto('/?backend=wasm#train');
  await chooseTraining(page, { epochs: 3, batchSize: 256, methods: ['Base', 'DUET'] });
  await expect(page.locator('[data-estimate]')).toHaveText(/About/, { timeout: 60_000 });
  const estimateBeforeRun = (await page.locator('[data-estimate]').textContent())?.trim();
  const backend = await page.locator('[data-backend]').getAttribute('data-backend');

  const memory = new MemoryPeak();
  const started = Date.now();
  await trainButton(page).click();
  // When each method's phase is first shown, and the last samples/s shown in it.
  const firstSeen: Record<string, number> = {};
  const samplesPerSecond: Record<string, number | null> = {};
  while (!(await trainFinished(page).or(trainFailure(page)).isVisible())) {
    const r = await readProgress(page, started);
    if (r) {
      firstSeen[r.phase] ??= r.t;
      samplesPerSecond[r.phase] = r.samplesPerSecond ?? samplesPerSecond[r.phase] ?? null;
    }
    await page.waitForTimeout(250);
  }
  const totalSeconds = (Date.now() - started) / 1000;
  await expect(trainFailure(page)).toHaveCount(0);
  expect(Object.keys(firstSeen)).toEqual(['base', 'duet']);
  const summary = {
    dataset: 'default',
    backbone: 'sasrec',
    epochs: 3,
    batchSize: 256,
    backend,
    estimateBeforeRun,
    // Base: from the Train button (the worker loads the dataset first) until DUET's first progress.
    secondsPerMethod: {
      base: +firstSeen.duet.toFixed(1),
      duet: +(totalSeconds - firstSeen.duet).toFixed(1),
    },
    totalSeconds: +totalSeconds.toFixed(1),
    lastSamplesPerSecondShown: samplesPerSecond,
    chromiumMemory: memory.stop(),
    machine: { cpus: cpus().length, loadAtStart, loadAtEnd: load() },
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(summary, null, 2));
  mkdirSync('docs/results/big-log', { recursive: true });
  writeFileSync('docs/results/big-log/tab-default-train.json', `${JSON.stringify(summary, null, 2)}\n`);
});
