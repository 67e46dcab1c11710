import { test, expect } from '@playwright/test';
import { hasShippedModel, screenshot, settled } from './fixtures';

// A link the app cannot honour gives a one-line notice and a cleaned URL, never an engine
// message, and the page still works.

const engineText = /GatherV2|index \d+ is not in|Tensor|tfjs|\bat \S+ \(|\.(ts|js):\d+/;

test('unknown items, dataset, backbone and user in the link: notices, a cleaned URL, a working session', async ({ page }) => {
  test.skip(!(await hasShippedModel(page)), 'no shipped model in this build');
  await page.goto('/?dataset=nope&backbone=bert&user=abc&clicks=99999.3.x.4');
  await settled(page, 2);
  const notices = page.getByRole('status', { name: 'Notices' });
  await expect(notices.locator('[data-notice]').filter({ hasText: '99999' })).toHaveCount(1);
  await expect(notices).toContainText('"nope"');
  await expect(notices).toContainText('"bert"');
  await expect(notices).toContainText('"abc"');
  await expect(notices).toContainText('is not an item id');
  // One line each, no engine words anywhere on the page.
  for (const n of await notices.locator('[data-notice] span').allTextContents()) expect(n).not.toContain('\n');
  await expect(page.locator('body')).not.toHaveText(engineText);
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The URL keeps only what worked.
  const url = new URL(page.url());
  expect(url.searchParams.get('clicks')).toBe('3.4');
  expect(url.searchParams.get('dataset')).toBe('default');
  expect(url.searchParams.has('backbone')).toBe(false);
  expect(url.searchParams.has('user')).toBe(false);
  await screenshot(page, 'links-1-bad-parameters', false);

  // A notice goes away when dismissed.
  const first = notices.locator('[data-notice]').first();
  const text = await first.locator('span').textContent();
  await first.getByRole('button').click();
  await expect(notices.locator('[data-notice]').filter({ hasText: text ?? '' })).toHaveCount(0);

  // A test user the dataset does not offer: a notice, and the session starts as a new visitor.
  await page.goto('/?user=999999&clicks=5');
  await settled(page, 1);
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('999999');
  expect(new URL(page.url()).searchParams.has('user')).toBe(false);
});

test('a backend this browser cannot start: a notice, and the status never sticks on "starting"', async ({ page }) => {
  await page.goto('/?backend=tpu#train');
  const status = page.locator('[data-backend]');
  await expect(status).not.toHaveAttribute('data-backend', '', { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('"tpu"');
  expect(new URL(page.url()).searchParams.has('backend')).toBe(false);

  // WebGPU: either it starts (a software adapter counts), or the engine falls back and says so.
  await page.goto('/?backend=webgpu#train');
  await expect(status).not.toHaveAttribute('data-backend', '', { timeout: 60_000 });
  await expect(status).not.toContainText('starting the engine');
  const name = await status.getAttribute('data-backend');
  if (name !== 'webgpu') {
    await expect(page.getByRole('status', { name: 'Notices' })).toContainText('WebGPU is not available');
    expect(new URL(page.url()).searchParams.has('backend')).toBe(false);
  }
  await expect(page.locator('body')).not.toHaveText(engineText);
});
