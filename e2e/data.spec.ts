import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { scriptTitle, screenshot, tinyMovieLensZip } from './fixtures';

test('a first visit loads the default dataset; an imported MovieLens zip survives a reload', async ({ page }) => {
  await page.goto('/#data');
  const list = page.getByRole('list', { name: 'Datasets in this browser' });
  const stats = page.locator('table.stats');

  // First visit: the default dataset is put into IndexedDB and its statistics shown.
  await expect(list.getByRole('listitem')).toHaveCount(1, { timeout: 120_000 });
  await expect(list).toContainText('default');
  await expect(stats.locator('[data-stat="Users"]')).toHaveText(/^[1-9][\d,]*$/);
  await expect(stats.locator('[data-stat="Items"]')).toHaveText(/^[1-9][\d,]*$/);
  await expect(stats.locator('[data-stat="Interactions"]')).toHaveText(/^[1-9][\d,]*$/);
  await screenshot(page, 'data-1-default-dataset');

  // Import the tiny MovieLens zip through the picker, under a name holding markup.
  const form = page.getByRole('form', { name: 'Import a dataset' });
  await form.locator('input[type="file"]').setInputFiles({
    name: 'ml-tiny.zip',
    mimeType: 'application/zip',
    buffer: tinyMovieLensZip(),
  });
  await form.getByLabel('Format').selectOption('movielens');
  await form.getByLabel('Name').fill(scriptTitle);
  await screenshot(page, 'data-2-import-chosen');
  await form.getByRole('button', { name: 'Import' }).click();

  await expect(form.getByRole('status')).toContainText('Imported', { timeout: 120_000 });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  // The markup is text: shown literally, never run, never an element.
  await expect(list.getByText(scriptTitle, { exact: true })).toBeVisible();
  await expect(stats.locator('caption')).toHaveText(scriptTitle);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('main script').count()).toBe(0);
  await screenshot(page, 'data-3-imported');

  // Both datasets are still there after a reload.
  await page.reload();
  await expect(list.getByRole('listitem')).toHaveCount(2, { timeout: 60_000 });
  await expect(list.getByText(scriptTitle, { exact: true })).toBeVisible();
  await expect(list).toContainText('default');
  await screenshot(page, 'data-4-after-reload');
});

test('an unreadable file gives a readable message, not a stack', async ({ page }) => {
  await page.goto('/#data');
  const list = page.getByRole('list', { name: 'Datasets in this browser' });
  await expect(list.getByRole('listitem')).toHaveCount(1, { timeout: 120_000 });
  const form = page.getByRole('form', { name: 'Import a dataset' });
  await form.locator('input[type="file"]').setInputFiles({
    name: 'notes.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('hello,world\nthis,is not a dataset\n'),
  });
  await form.getByRole('button', { name: 'Import' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(alert).toContainText('notes.csv');
  // A sentence, not a stack trace ("at fn (file.js:1:2)").
  await expect(alert).not.toHaveText(/\bat \S+ \(|\.(ts|js):\d+/);
  await screenshot(page, 'data-5-import-error');
});

test('a full disk gives a clear message instead of a broken page', async ({ page, baseURL }) => {
  // Chromium lets a test shrink this origin's storage quota: the default dataset cannot be saved.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 64 * 1024 });
  await page.goto('/#data');
  const alert = page.locator('#data').getByRole('alert').first();
  await expect(alert).toContainText('storage space', { timeout: 120_000 });
  await expect(alert).toHaveAttribute('data-code', 'quota');
  await screenshot(page, 'data-6-quota');
});

test('what preparing a file drops is shown with numbers, never silently', async ({ page }) => {
  // 25 users x 25 items (kept), one exact duplicate row, one user with 3 ratings (filtered out).
  const rows = ['userId,movieId,rating,timestamp'];
  for (let u = 1; u <= 25; u++) for (let i = 1; i <= 25; i++) rows.push(`${u},${i},4,${1_000_000 + u * 100 + i}`);
  rows.push('1,1,4,1000101');
  for (let i = 1; i <= 3; i++) rows.push(`99,${i},3,${2_000_000 + i}`);
  await page.goto('/#data');
  const form = page.getByRole('form', { name: 'Import a dataset' });
  await form.locator('input[type="file"]').setInputFiles({
    name: 'ratings.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${rows.join('\n')}\n`),
  });
  await form.getByLabel('Name').fill('with duplicates');
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(form.getByRole('status')).toContainText('Imported', { timeout: 120_000 });
  const dropped = page.locator('[data-dropped]');
  await expect(dropped).toContainText('users with too few interactions: 1');
  await expect(dropped).toContainText('exact duplicate rows: 1');
});

test('the default dataset exports as DUET text (a zip) and as a RecBole .inter file with every row', async ({ page }) => {
  await page.goto('/#data');
  const list = page.getByRole('list', { name: 'Datasets in this browser' });
  await expect(list.getByRole('listitem')).toHaveCount(1, { timeout: 120_000 });
  const stats = page.locator('table.stats');
  const count = async (label: string) => Number((await stats.locator(`[data-stat="${label}"]`).innerText()).replaceAll(',', ''));
  const exports = list.getByRole('group', { name: /^Export / });

  const [zip] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name: 'Export as DUET text' }).click()]);
  expect(zip.suggestedFilename()).toMatch(/-duet\.zip$/);
  const files = unzipSync(readFileSync((await zip.path())!));
  const lines = (bytes: Uint8Array) => strFromU8(bytes).split('\n').filter(Boolean);
  const train = lines(files['train.txt']);
  expect(train).toHaveLength((await count('Training samples (cloud period)')) + (await count('Validation samples')));
  expect(train[0]).toMatch(/^\d+;\d+;[\d,]+;[\d,]+;[01]$/);
  expect(lines(files['test.txt'])).toHaveLength(await count('Test samples (device period)'));
  await expect(page.locator('[data-export-notice]')).toContainText(zip.suggestedFilename());

  const [inter] = await Promise.all([
    page.waitForEvent('download'),
    exports.getByRole('button', { name: 'Export as RecBole .inter' }).click(),
  ]);
  expect(inter.suggestedFilename()).toMatch(/\.inter$/);
  const rows = readFileSync((await inter.path())!, 'utf8')
    .split('\n')
    .filter(Boolean);
  expect(rows[0]).toBe('user_id:token\titem_id:token\ttimestamp:float');
  expect(rows).toHaveLength(1 + (await count('Interactions')));
});
