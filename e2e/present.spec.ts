import { test, expect } from '@playwright/test';
import { hasShippedModel, screenshot, settled } from './fixtures';

test('presenter mode: large type, only the clicks, the lists and the chart; keys drive the session', async ({ page }) => {
  test.skip(!(await hasShippedModel(page)), 'no shipped model in this build');
  await page.goto('/?present');
  await settled(page, 0);
  await expect(page.locator('.session.present')).toBeVisible();
  await expect(page.getByRole('listbox', { name: 'Catalog' })).toHaveCount(0);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.locator('figure.click-chart')).toBeVisible();
  await expect(page.locator('section.ranking:visible')).toHaveCount(3);
  const size = (sel: string) =>
    page
      .locator(sel)
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(await size('section.ranking li .title')).toBeGreaterThanOrEqual(18);

  // N clicks the next item of the shown genre; U undoes; G moves to the next genre; R resets.
  const genre = (await page.locator('.keys strong').textContent()) ?? '';
  expect(genre).not.toBe('');
  await page.keyboard.press('n');
  await settled(page, 1);
  await page.keyboard.press('n');
  await settled(page, 2);
  await expect(page.locator('.keys strong')).toHaveText(genre);
  // The chart measures the genre being presented.
  await expect(page.locator('figure.click-chart')).toHaveAttribute('data-target', genre);
  await screenshot(page, 'present-1-two-clicks', false);
  await page.keyboard.press('u');
  await settled(page, 1);
  await page.keyboard.press('g');
  await settled(page, 0);
  await expect(page.locator('.keys strong')).not.toHaveText(genre);
  await page.keyboard.press('n');
  await settled(page, 1);
  await page.keyboard.press('r');
  await settled(page, 0);

  // Esc leaves presenter mode; the button brings it back.
  await page.keyboard.press('Escape');
  await expect(page.locator('.session.present')).toHaveCount(0);
  expect(page.url()).not.toContain('present');
  await page.getByRole('button', { name: 'Present' }).click();
  await expect(page.locator('.session.present')).toBeVisible();
  expect(page.url()).toContain('present');
});
