// First-visit time to a usable session and DUET click-to-painted-list latency (idle, and
// while a training run goes), from the built app in Chromium. Prints a JSON summary and writes test-results/ui-latency.json.
import { writeFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { catalogOptions, settled } from './fixtures';

const visits = Number(process.env.VISITS ?? 3);
const clicks = Number(process.env.CLICKS ?? 30);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// Recorded in the page: when the first full list is painted (ms since navigation start), and
// for each click on the catalog, the time until DUET's list is painted (the frame after it
// stops being pending).
const probe = () => {
  const w = window as unknown as { firstList?: number; clickAt?: number; duet: number[] };
  w.duet = [];
  const observer = new MutationObserver(() => {
    if (
      w.firstList === undefined &&
      document.querySelectorAll('section[data-method="duet"] li[data-item]:not([data-item=""])').length === 10
    ) {
      requestAnimationFrame(() => (w.firstList ??= performance.now()));
    }
    const duet = document.querySelector('section.ranking[data-method="duet"]');
    if (w.clickAt !== undefined && duet?.getAttribute('data-pending') === 'false') {
      const at = w.clickAt;
      w.clickAt = undefined;
      requestAnimationFrame(() => w.duet.push(performance.now() - at));
    }
  });
  addEventListener('DOMContentLoaded', () =>
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-pending', 'data-item'] }),
  );
  addEventListener(
    'click',
    (e) => {
      if ((e.target as Element).closest?.('[role="option"]')) w.clickAt = performance.now();
    },
    true,
  );
};

/** `clicks` catalog clicks from an empty session, each waited for until its lists settle. */
async function clickThroughCatalog(page: Page): Promise<void> {
  for (let i = 0; i < clicks; i++) {
    await catalogOptions(page)
      .nth(i % 40)
      .click();
    await settled(page, i + 1);
  }
}

test('first visit and DUET click latency', async ({ browser }) => {
  const firstVisit: number[] = [];
  for (let v = 0; v < visits; v++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } }); // a fresh profile
    const page = await context.newPage();
    await page.addInitScript(probe);
    await page.goto('/');
    await settled(page, 0);
    await expect.poll(() => page.evaluate(() => (window as unknown as { firstList?: number }).firstList)).toBeGreaterThan(0);
    firstVisit.push(await page.evaluate(() => (window as unknown as { firstList: number }).firstList));
    await context.close();
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(probe);
  await page.goto('/');
  await settled(page, 0);
  await clickThroughCatalog(page);
  const duet = await page.evaluate(() => (window as unknown as { duet: number[] }).duet);
  const shownP50 = await page.locator('[data-figure="duet-latency"]').textContent();

  // The same clicks while a training run goes on the default dataset (then cancelled).
  await page.getByRole('button', { name: 'Reset' }).click();
  await settled(page, 0);
  await page.evaluate(() => ((window as unknown as { duet: number[] }).duet = []));
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByRole('button', { name: 'Train in this tab' }).click();
  await expect(page.locator('#train [data-phase="base"]')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('link', { name: 'Session', exact: true }).click();
  await settled(page, 0);
  await clickThroughCatalog(page);
  const duringTraining = await page.evaluate(() => (window as unknown as { duet: number[] }).duet);
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByRole('button', { name: 'Cancel training' }).click();
  await context.close();

  const summary = {
    firstVisitMs: { runs: firstVisit.map(Math.round), median: Math.round(percentile(firstVisit, 50)) },
    duetClickToPaintedMs: {
      clicks: duet.length,
      p50: Math.round(percentile(duet, 50)),
      p95: Math.round(percentile(duet, 95)),
      max: Math.round(Math.max(...duet)),
    },
    appShownDuetP50: shownP50,
    duetDuringTrainingMs: {
      clicks: duringTraining.length,
      p50: Math.round(percentile(duringTraining, 50)),
      p95: Math.round(percentile(duringTraining, 95)),
      max: Math.round(Math.max(...duringTraining)),
    },
  };
  console.log(JSON.stringify(summary, null, 2));
  writeFileSync('test-results/ui-latency.json', JSON.stringify(summary, null, 2));
  expect(duet.length).toBe(clicks);
});
