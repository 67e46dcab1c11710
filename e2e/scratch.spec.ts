import { test, expect } from '@playwright/test';
test('scratch', async ({ page }) => {
  page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto('/?clicks=5.6.7');
  await page.waitForTimeout(15000);
  console.log(await page.locator('.lists').getAttribute('aria-busy'));
  console.log(await page.locator('.latency').allTextContents());
});
