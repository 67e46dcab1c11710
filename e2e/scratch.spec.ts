import { test } from '@playwright/test';
import { catalogOptions, settled } from './fixtures';
test('scratch', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/?clicks=40.41.42');
  await settled(page, 3);
  await page.screenshot({ path: '/tmp/uiscratch/dark.png' });
  await page.goto('/?clicks=40.41.42&user=5');
  await page.waitForTimeout(3000);
  await page.screenshot({ path: '/tmp/uiscratch/user.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/#train');
  await page.waitForTimeout(3000);
  await page.screenshot({ path: '/tmp/uiscratch/train.png', fullPage: true });
  await page.goto('/#data');
  await page.waitForTimeout(2000);
  await page.screenshot({ path: '/tmp/uiscratch/data.png', fullPage: true });
});
