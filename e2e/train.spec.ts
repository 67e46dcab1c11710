import { test, expect, type Page } from '@playwright/test';
import { importTinyDataset, screenshot } from './fixtures';

async function trainTiny(page: Page, epochs: number, batchSize = 64): Promise<void> {
  const form = page.getByRole('form', { name: 'Train a model' });
  await form.getByLabel('Epochs').fill(String(epochs));
  await form.getByLabel('Batch size').fill(String(batchSize));
  await form.getByRole('button', { name: 'Train in this tab' }).click();
}

const finished = (page: Page) => page.locator('#train [role="status"]').filter({ hasText: 'Training finished' });

test('train a tiny model in this tab on WASM, resume it after a reload, then run a device session with it', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await importTinyDataset(page);
  await expect(page.locator('[data-backend]')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await trainTiny(page, 3, 16);
  const failure = page.locator('#train [role="alert"]');
  // Reload once the first epoch is saved: the page picks the run up where it stopped.
  await expect(page.locator('#train [data-phase]').getByText(/epoch 2 of 3/).or(failure)).toBeVisible({ timeout: 120_000 });
  await expect(failure).toHaveCount(0);
  await screenshot(page, 'train-1-wasm-running');
  await page.reload();
  await expect(page.locator('#train').getByText('Resuming from the last saved epoch')).toBeVisible({ timeout: 60_000 });
  await expect(finished(page).or(failure)).toBeVisible({ timeout: 240_000 });
  await expect(failure).toHaveCount(0);
  await expect(page.locator('#train [data-model="duet"]')).toContainText('3 epochs');
  await expect(page.locator('#train .charts')).toBeVisible();
  await screenshot(page, 'train-2-wasm-finished');

  await expect(page.locator('[data-model-info]')).toContainText('trained in this browser');
  const catalog = page.getByRole('list', { name: 'Catalog' });
  // The fixture's markup-laden title is shown as text.
  await expect(catalog.locator('.title').filter({ hasText: '<script>' }).first()).toBeVisible();
  await catalog.getByRole('button').first().click();
  await expect(page.getByLabel('Clicks this session').locator('.chip')).toHaveCount(1);
  await expect(page.locator('.lists')).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  await expect(page.locator('section[data-method="duet"] li[data-item]:not([data-item=""])')).toHaveCount(10);
  await expect(page.locator('[data-figure="duet-latency"]')).toHaveText(/^\d+ ms$/);
  await expect(page.locator('#inside canvas')).toHaveCount(4);
  await screenshot(page, 'train-3-wasm-session');
});

test('a tiny training run on WebGPU (SwiftShader) resumes after a reload', async ({ page }) => {
  // SwiftShader runs WebGPU on the CPU, ~100x slower than WASM: two methods x two epochs need time.
  test.setTimeout(900_000);
  await page.goto('/?backend=webgpu');
  await importTinyDataset(page);
  const backend = page.locator('[data-backend]');
  await expect(backend).toHaveAttribute('data-backend', /webgpu|wasm|cpu/, { timeout: 60_000 });
  test.skip((await backend.getAttribute('data-backend')) !== 'webgpu', 'WebGPU is not available in this Chromium');
  await expect(backend).toContainText('software');
  // One large batch per epoch: SwiftShader's cost is per dispatch and per compiled shape.
  await trainTiny(page, 2, 2048);
  // Reload once the first epoch is saved: the page picks the run up at epoch 2.
  const epoch2 = page.locator('#train [data-phase]').getByText(/epoch 2 of 2/);
  const failure = page.locator('#train [role="alert"]');
  await expect(epoch2.or(failure)).toBeVisible({ timeout: 360_000 });
  await screenshot(page, 'train-4-webgpu-epoch2');
  await expect(failure).toHaveCount(0);
  await expect(backend).toHaveAttribute('data-backend', 'webgpu');
  await page.reload();
  await expect(page.locator('#train').getByText('Resuming from the last saved epoch')).toBeVisible({ timeout: 60_000 });
  await expect(backend).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  await expect(finished(page).or(failure)).toBeVisible({ timeout: 600_000 });
  await expect(failure).toHaveCount(0);
  await expect(page.locator('#train [data-model="duet"]')).toContainText('2 epochs');
  await expect(page.locator('#train [data-model="duet"]')).toContainText('webgpu');
  await screenshot(page, 'train-5-webgpu-resumed');
});
