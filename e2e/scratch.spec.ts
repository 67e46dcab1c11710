import { test, expect } from '@playwright/test';
import { catalogOptions, settled } from './fixtures';
test('scratch', async ({ page }) => {
  page.on('console', (m) => { if (m.text().startsWith('LAT')) console.log(m.text()); });
  await page.goto('/');
  await settled(page, 0);
  for (let i = 0; i < 6; i++) { await catalogOptions(page).nth(i).click(); await settled(page, i + 1); }
});
