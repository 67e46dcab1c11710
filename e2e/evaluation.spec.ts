import { test, expect } from '@playwright/test';
import { hasShippedModel, screenshot } from './fixtures';

test('the per-user fine-tune evaluation shows its progress and can be cancelled; the metrics table fits a phone', async ({ page }) => {
  test.skip(!(await hasShippedModel(page)), 'no shipped model in this build');
  await page.goto('/#evaluation');
  const step = page.locator('#evaluation');
  const evaluate = step.getByRole('button', { name: 'Evaluate the model in use' });
  await expect(evaluate).toHaveAttribute('aria-disabled', 'false', { timeout: 120_000 });

  await step.getByLabel('include Fine-tune').check();
  await evaluate.click();
  // Per test user: "20 of 1,000 users", then more, while the button says it is busy.
  const progress = step.locator('[data-evaluation-progress]');
  await expect(progress).toContainText('Fine-tuning a copy of Base per test user', { timeout: 120_000 });
  const done = async () => Number((/(\d+) of (\d+) users/.exec((await progress.textContent()) ?? '') ?? [])[1] ?? 0);
  await expect.poll(done, { timeout: 120_000 }).toBeGreaterThan(0);
  await expect(progress.getByRole('progressbar')).toHaveAttribute('value', /^\d+$/);
  await expect(step.getByRole('button', { name: 'Evaluating…' })).toHaveAttribute('aria-disabled', 'true');
  await screenshot(page, 'evaluation-1-finetune-progress');

  await step.getByRole('button', { name: 'Cancel' }).click();
  await expect(step.getByRole('status')).toHaveText('Evaluation cancelled.', { timeout: 60_000 });
  await expect(progress).toHaveCount(0);
  await expect(step.getByRole('alert')).toHaveCount(0);
  await expect(step.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  // The focus did not fall to the page when Cancel went away.
  expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);

  // The engine is free again: a plain evaluation runs to the end, without a fine-tune row.
  await step.getByLabel('include Fine-tune').uncheck();
  await evaluate.click();
  const table = step.getByRole('table', { name: 'Metrics per method' });
  await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 120_000 });
  await expect(table.locator('tr[data-method="finetune"]')).toHaveCount(0);
  await expect(table.locator('tr[data-method="duet"] td').first()).toHaveText(/^0\.\d{4}$/);
  await screenshot(page, 'evaluation-2-after-cancel');

  // On a 375 px phone the table scrolls inside its box; the page does not scroll sideways.
  await page.setViewportSize({ width: 375, height: 812 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
