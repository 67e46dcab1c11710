import { test, expect } from '@playwright/test';

test('the built app loads cross-origin isolated', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('DUET');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
});
