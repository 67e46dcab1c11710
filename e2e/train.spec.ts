import { test, expect, type Page } from '@playwright/test';
import { catalogOptions, hasShippedModel, importTinyDataset, screenshot, settled } from './fixtures';

async function chooseTraining(page: Page, options: { epochs: number; batchSize: number; methods: string[] }): Promise<void> {
  const form = page.getByRole('form', { name: 'Train a model' });
  for (const m of ['Base', 'DUET', 'DUET + SWA']) {
    const box = form.getByRole('checkbox', { name: m, exact: true });
    if (options.methods.includes(m)) await box.check();
    else await box.uncheck();
  }
  await form.getByLabel('Epochs').fill(String(options.epochs));
  await form.getByLabel('Batch size').fill(String(options.batchSize));
  await form.getByLabel('Batch size').press('Tab');
}

const trainButton = (page: Page) => page.getByRole('button', { name: 'Train in this tab' });
const finished = (page: Page) => page.locator('#train [role="status"]').filter({ hasText: 'Training finished' });
const failure = (page: Page) => page.locator('#train [role="alert"]');

test('train a tiny model in this tab on WASM with one whole-run progress bar, then run a device session with it', async ({ page }) => {
  await page.goto('/?backend=wasm#data');
  await importTinyDataset(page);
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await expect(page.locator('[data-backend]')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await chooseTraining(page, { epochs: 2, batchSize: 16, methods: ['Base', 'DUET'] });
  // What the run will cost, before it starts.
  await expect(page.locator('[data-estimate]')).toHaveText(/^About \d+(\.\d)? (s|min|h) for [\d,]+ samples per epoch/);

  // Samples the one progress bar while the run goes: it only moves forward, across methods.
  await page.evaluate(() => {
    const w = window as unknown as { bars: number[]; values: number[] };
    w.bars = [];
    w.values = [];
    new MutationObserver(() => {
      const bars = document.querySelectorAll('#train progress');
      w.bars.push(bars.length);
      const v = bars[0]?.getAttribute('value');
      if (v) w.values.push(Number(v));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
  });
  await trainButton(page).click();
  await expect(trainButton(page)).toHaveAttribute('aria-disabled', 'true');
  await expect(page.locator('#train [data-phase="duet"]').or(failure(page))).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('#train [data-phase]')).toContainText(/DUET \(2 of 2\), epoch \d of 2/);
  await screenshot(page, 'train-1-wasm-running');
  await expect(finished(page).or(failure(page))).toBeVisible({ timeout: 120_000 });
  await expect(failure(page)).toHaveCount(0);
  const { bars, values } = await page.evaluate(() => {
    const w = window as unknown as { bars: number[]; values: number[] };
    return { bars: w.bars, values: w.values };
  });
  expect(Math.max(...bars), 'one progress bar for the whole run').toBe(1);
  expect(values.length).toBeGreaterThan(2);
  expect(
    values.every((v, i) => i === 0 || v >= values[i - 1]),
    `progress only moves forward: ${values.join(',')}`,
  ).toBe(true);
  await expect(page.locator('#train [data-model="duet"]')).toContainText('2 epochs');
  // Legible legends: a name and a value per method, as text.
  const legend = page.locator('#train .charts .legend').first();
  await expect(legend).toContainText(/Base: \d\.\d{4}/);
  await expect(legend).toContainText(/DUET: \d\.\d{4}/);
  await screenshot(page, 'train-2-wasm-finished');

  await page.getByRole('link', { name: 'Session', exact: true }).click();
  await expect(page.locator('[data-model-info]')).toContainText('trained in this browser');
  await settled(page, 0);
  // The fixture's markup-laden title is shown as text.
  const catalog = page.getByRole('listbox', { name: 'Catalog' });
  await expect(catalog.locator('.title').filter({ hasText: '<script>' }).first()).toBeVisible();
  await catalogOptions(page).first().click();
  await settled(page, 1);
  await expect(page.locator('[data-figure="duet-latency"]')).toHaveText(/^\d+ ms$/);
  await page.getByRole('link', { name: 'Look inside' }).click();
  await expect(page.locator('#inside canvas')).toHaveCount(4);
  await screenshot(page, 'train-3-wasm-session');
});

test('cancel means cancelled: after a reload nothing trains, the session works, and Resume is only offered', async ({ page }) => {
  test.skip(!(await hasShippedModel(page)), 'no shipped model in this build');
  await page.goto('/#train');
  await expect(page.locator('[data-backend]')).not.toHaveAttribute('data-backend', '', { timeout: 60_000 });
  await chooseTraining(page, { epochs: 3, batchSize: 256, methods: ['Base', 'DUET'] });
  await trainButton(page).click();
  await expect(page.locator('#train [data-phase="base"]').or(failure(page))).toBeVisible({ timeout: 120_000 });

  // While it trains, the session keeps the current model and answers clicks.
  await page.getByRole('link', { name: 'Session', exact: true }).click();
  await settled(page, 0);
  await catalogOptions(page).nth(3).click();
  await settled(page, 1);
  await expect(page.locator('[data-model-info]')).toContainText('shipped');
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await expect(page.locator('#train [data-phase]')).toBeVisible();

  await page.getByRole('button', { name: 'Cancel training' }).click();
  await expect(page.locator('#train [role="status"]').filter({ hasText: 'Training cancelled' })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('#train [role="status"]')).toContainText('nothing will restart by itself');
  await expect(page.locator('#train [data-phase]')).toHaveCount(0);
  await expect(failure(page)).toHaveCount(0);

  await page.reload();
  await expect(page.locator('[data-backend]')).not.toHaveAttribute('data-backend', '', { timeout: 60_000 });
  // Give a wrongly auto-resumed run the time to show itself.
  await page.waitForTimeout(2_000);
  await expect(page.locator('#train [data-phase]')).toHaveCount(0);
  await expect(trainButton(page)).toHaveAttribute('aria-disabled', 'false');
  await expect(page.locator('#train').getByText(/Resuming/)).toHaveCount(0);
  // The cancelled run is offered, never resumed.
  const offer = page.getByRole('button', { name: /^Resume training \(/ });
  await expect(offer).toHaveText(/^Resume training \((epoch \d+ of \d+|\d+ of \d+ epochs) saved\)$/);
  await expect(page.getByRole('button', { name: 'Discard' })).toBeVisible();
  await screenshot(page, 'train-4-after-cancel-reload');

  await page.getByRole('link', { name: 'Session', exact: true }).click();
  await settled(page, 1);
  await expect(page.locator('[data-model-info]')).toContainText('shipped');
  await catalogOptions(page).nth(5).click();
  await settled(page, 2);
});

test('a tiny training run on WebGPU (SwiftShader): Base, one epoch, one batch', async ({ page }) => {
  await page.goto('/?backend=webgpu#data');
  await importTinyDataset(page);
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  const backend = page.locator('[data-backend]');
  await expect(backend).not.toHaveAttribute('data-backend', '', { timeout: 60_000 });
  test.skip((await backend.getAttribute('data-backend')) !== 'webgpu', 'WebGPU is not available in this Chromium');
  // The smallest run that proves the path (train, score, save on WebGPU): SwiftShader's cost
  // is per compiled shader and per dispatch, so one method, one epoch, one batch.
  await chooseTraining(page, { epochs: 1, batchSize: 4096, methods: ['Base'] });
  await trainButton(page).click();
  await expect(finished(page).or(failure(page))).toBeVisible({ timeout: 240_000 });
  await expect(failure(page)).toHaveCount(0);
  await expect(backend).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.locator('#train [data-model="base"]')).toContainText('webgpu');
  await screenshot(page, 'train-5-webgpu');
});

test('a stated sample of the users: 200 of the default dataset, one epoch, and the models say so', async ({ page }) => {
  await page.goto('/?backend=wasm#train');
  await expect(page.locator('[data-backend]')).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 });
  const form = page.getByRole('form', { name: 'Train a model' });
  const users = form.getByLabel('Users to train on');
  // The default dataset trains whole: no sample is proposed.
  await expect(users).toHaveValue('');
  await expect(users).toHaveAttribute('placeholder', /^all [1-9][\d,]*$/);
  await expect(page.locator('[data-sample-plan]')).toHaveCount(0);
  await chooseTraining(page, { epochs: 1, batchSize: 256, methods: ['Base'] });
  await users.fill('200');
  await users.press('Tab');
  const plan = page.locator('[data-sample-plan]');
  await expect(plan).toContainText(/^Training on a seeded sample of 200 of [\d,]+ users; the catalog is unchanged\./);

  // What the one progress line says while the run goes: the final evaluation is named, and the bar is never full before the end.
  await page.evaluate(() => {
    const w = window as unknown as { labels: string[]; full: boolean };
    w.labels = [];
    w.full = false;
    new MutationObserver(() => {
      const progress = document.querySelector('#train [data-phase]');
      if (progress) w.labels.push(progress.textContent ?? '');
      if (document.querySelector('#train progress')?.getAttribute('value') === '100') w.full = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await trainButton(page).click();
  await expect(plan).toBeVisible();
  await expect(finished(page).or(failure(page))).toBeVisible({ timeout: 120_000 });
  await expect(failure(page)).toHaveCount(0);
  const seen = await page.evaluate(() => {
    const w = window as unknown as { labels: string[]; full: boolean };
    return { labels: w.labels, full: w.full };
  });
  expect(seen.labels.some((l) => l.includes('evaluating on the test split'))).toBe(true);
  expect(seen.full).toBe(false);

  const note = /^Training on a seeded sample of 200 of [\d,]+ users \([\d,]+ of [\d,]+ training positives\); the catalog is unchanged\.$/;
  await expect(page.locator('#train [data-model="base"] [data-model-sample]')).toHaveText(note);
  await screenshot(page, 'train-6-user-sample');
  await page.getByRole('link', { name: 'Evaluation', exact: true }).click();
  await expect(page.locator('#evaluation [data-model-sample]')).toContainText('Base: Training on a seeded sample of 200 of');
  await expect(page.locator('#evaluation [data-scored-on]')).toHaveAttribute('data-scored-on', 'run');
});

test('a dataset with more users than a tab trains comfortably gets a proposed sample, stated with numbers', async ({ page }) => {
  // 20,500 users x 20 ratings (the fewest kept per user), over 100 items.
  const rows = ['userId,movieId,rating,timestamp'];
  for (let u = 1; u <= 20_500; u++) for (let j = 0; j < 20; j++) rows.push(`${u},${1 + ((u * 7 + j * 13) % 100)},4,${1_000_000 + j}`);
  await page.goto('/#data');
  await page.getByRole('list', { name: 'Datasets in this browser' }).getByRole('listitem').first().waitFor({ timeout: 120_000 });
  const importForm = page.getByRole('form', { name: 'Import a dataset' });
  await importForm
    .locator('input[type="file"]')
    .setInputFiles({ name: 'ratings.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await importForm.getByLabel('Name').fill('many users');
  await importForm.getByRole('button', { name: 'Import' }).click();
  await expect(importForm.getByRole('status')).toContainText('Imported', { timeout: 120_000 });

  await page.getByRole('link', { name: 'Train', exact: true }).click();
  const users = page.getByRole('form', { name: 'Train a model' }).getByLabel('Users to train on');
  await expect(users).toHaveValue('20000', { timeout: 60_000 });
  const plan = page.locator('[data-sample-plan]');
  await expect(plan).toContainText(
    'Training on a seeded sample of 20,000 of 20,500 users; the catalog is unchanged. Proposed because 20,500 users are more than a tab trains comfortably (up to 20,000).',
  );
  await expect(page.locator('[data-estimate]')).toContainText(/for [\d,]+ samples per epoch/);
  await screenshot(page, 'train-7-proposed-sample');
  // The visitor decides: every user.
  await plan.getByRole('button', { name: 'Train on every user' }).click();
  await expect(users).toHaveValue('');
  await expect(plan).toHaveCount(0);
});
