// Test inputs and shared steps for the e2e specs.
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const scriptTitle = 'Danger <script>window.__pwned = 1</script> (1999)';

/** The committed MovieLens-format zip (tests/fixtures/make-ml-tiny.ts): 12 users, one title holding <script>. */
export function tinyMovieLensZip(): Buffer {
  return readFileSync('tests/fixtures/ml-tiny.zip');
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage });
}

/** Whether this build ships a model (vite preview answers a missing file with index.html). */
export async function hasShippedModel(page: Page): Promise<boolean> {
  const r = await page.request.get('/models/default-sasrec-duet.duetmodel');
  return r.ok() && !(r.headers()['content-type'] ?? '').includes('text/html');
}

/** Waits until the session shows `clicks` clicks and all three lists are painted. */
export async function settled(page: Page, clicks: number): Promise<void> {
  await expect(page.getByLabel('Clicks this session').locator('.click')).toHaveCount(clicks, { timeout: 60_000 });
  await expect(page.locator('.lists')).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  for (const m of ['base', 'finetune', 'duet']) {
    await expect(page.locator(`section[data-method="${m}"] li[data-item]:not([data-item=""])`)).toHaveCount(10);
  }
}

export const catalogOptions = (page: Page) => page.getByRole('listbox', { name: 'Catalog' }).getByRole('option');

/** Waits for the first visit's default dataset (Data view), then imports the tiny MovieLens zip. */
export async function importTinyDataset(page: Page, name = 'ML tiny'): Promise<void> {
  const list = page.getByRole('list', { name: 'Datasets in this browser' });
  await list.getByRole('listitem').first().waitFor({ timeout: 120_000 });
  const form = page.getByRole('form', { name: 'Import a dataset' });
  await form.locator('input[type="file"]').setInputFiles({
    name: 'ml-tiny.zip',
    mimeType: 'application/zip',
    buffer: tinyMovieLensZip(),
  });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Import' }).click();
  await form.getByRole('status').filter({ hasText: 'Imported' }).waitFor({ timeout: 120_000 });
}

/** Item ids and genres of one method's top-10 in the device session. */
export async function topList(
  page: Page,
  method: 'base' | 'finetune' | 'duet',
): Promise<{ id: string; genres: string[]; match: boolean }[]> {
  return page.locator(`section[data-method="${method}"] li[data-item]:not([data-item=""])`).evaluateAll((rows) =>
    rows.map((r) => ({
      id: r.getAttribute('data-item') ?? '',
      genres: (r.getAttribute('data-genres') ?? '').split('|').filter(Boolean),
      match: r.getAttribute('data-match') === 'true',
    })),
  );
}
