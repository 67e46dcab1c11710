import { test, expect } from '@playwright/test';
test('scratch', async ({ page }) => {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  for (const [w, h, name] of [[1280, 800, 'desk'], [375, 812, 'phone']] as const) {
    await page.setViewportSize({ width: w, height: h });
    const t0 = Date.now();
    await page.goto('/');
    await expect(page.locator('section[data-method="duet"] li[data-item]:not([data-item=""])')).toHaveCount(10, { timeout: 120_000 });
    console.log(name, 'first list ms', Date.now() - t0);
    await page.screenshot({ path: `/tmp/uiscratch/${name}-0.png` });
    for (let i = 0; i < 3; i++) {
      await page.getByRole('listbox', { name: 'Catalog' }).getByRole('option').nth(i * 3).click();
      await expect(page.locator('.lists')).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
    }
    await page.screenshot({ path: `/tmp/uiscratch/${name}-3.png` });
  }
  console.log(logs.filter((l) => /error|warn/i.test(l)).slice(0, 10).join('\n'));
});
