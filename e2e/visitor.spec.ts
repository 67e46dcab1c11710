import { test, expect, type Locator, type Page } from '@playwright/test';
import { catalogOptions, hasShippedModel, screenshot, settled, topList } from './fixtures';

// What a first-time visitor meets: the live session on arrival, the adaptation visible in
// the lists, DUET's list painted before Fine-tune's. Genres are picked from the catalog at
// run time; the tests check behaviour, never how good a model is.

test.beforeEach(async ({ page }) => {
  test.skip(!(await hasShippedModel(page)), 'no shipped model in this build');
});

async function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  });
}

async function fullyVisibleCount(locator: Locator): Promise<number> {
  let n = 0;
  for (const el of await locator.all()) if (await inViewport(el)) n++;
  return n;
}

/** A genre of the catalog with at least three items, chosen in the genre filter. */
async function chooseGenre(page: Page, nth = 0): Promise<string> {
  const filter = page.getByLabel('Genre filter');
  const genres = (await filter.locator('option').allTextContents()).slice(1);
  expect(genres.length).toBeGreaterThan(nth);
  const genre = genres[nth];
  await filter.selectOption(genre);
  await expect(catalogOptions(page).first()).toContainText(genre);
  return genre;
}

test('desktop: the first viewport holds the three lists and the catalog; chips and the per-click chart follow the clicks', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await settled(page, 0);

  // The first screen, without scrolling: three whole lists and at least five catalog items.
  for (const m of ['base', 'finetune', 'duet']) {
    expect(await inViewport(page.locator(`section.ranking[data-method="${m}"]`)), `${m} list in the first viewport`).toBe(true);
  }
  expect(await fullyVisibleCount(catalogOptions(page))).toBeGreaterThanOrEqual(5);
  await expect(page.locator('section.ranking[data-method="base"] h3')).toHaveText('Base (fixed last layers)');
  // Nothing measured before the first click.
  await expect(page.locator('[data-figure="duet-latency"]')).toHaveText('–');
  await expect(page.locator('[data-latency="duet"]')).toContainText('no clicks yet');
  await expect(page.locator('figure.click-chart')).toHaveAttribute('data-chart-points', '1');

  const genre = await chooseGenre(page, 5);
  // The genres all three clicked items share (the filter's genre among them).
  let shared: string[] | undefined;
  for (let i = 0; i < 3; i++) {
    const option = catalogOptions(page).nth(i);
    const genres = (await option.locator('.chip').allTextContents()).map((g) => g.trim());
    shared = shared ? shared.filter((g) => genres.includes(g)) : genres;
    await option.click();
    await settled(page, i + 1);
    // One chart point per click, and the chart names what it measures.
    await expect(page.locator('figure.click-chart')).toHaveAttribute('data-chart-points', String(i + 2));
  }
  expect(shared).toContain(genre);
  // The lists are judged against the genre the visitor explored, named above the chart.
  const target = (await page.locator('figure.click-chart').getAttribute('data-target')) ?? '';
  expect(target).toBe(genre);
  await expect(page.locator('figure.click-chart figcaption')).toContainText(target);

  for (const m of ['base', 'finetune', 'duet'] as const) {
    const list = await topList(page, m);
    // Every item shows its genres as chips with text, and is marked exactly when it shares
    // a genre with the clicks.
    const section = page.locator(`section.ranking[data-method="${m}"]`);
    const withGenres = list.filter((r) => r.genres.length).length;
    await expect(section.locator('li .chip')).toHaveCount(list.reduce((s, r) => s + r.genres.length, 0));
    expect(withGenres).toBeGreaterThan(0);
    for (const r of list) expect(r.match, `${m} item ${r.id} marked`).toBe(r.genres.includes(target));
    await expect(section.locator('li[data-match="true"] .mark')).toHaveCount(list.filter((r) => r.match).length);
    // The chart's latest value for the method is the share of marked items.
    await expect(page.locator(`[data-share="${m}"]`)).toHaveText(`${Math.round((list.filter((r) => r.match).length / 10) * 100)}%`);
  }
  // Click-to-list latency from the real clicks, p50 over the session.
  await expect(page.locator('[data-figure="duet-latency"]')).toHaveText(/^\d+ ms$/);
  await expect(page.locator('[data-figure="finetune-latency"]')).toHaveText(/^\d+ ms$/);
  // Beside each, the worker's compute time for the same clicks: DUET's one forward pass takes
  // a small fraction of what fine-tuning's gradient steps take.
  const compute = async (m: string) => {
    const text = (await page.locator(`[data-figure="${m}-compute"]`).textContent()) ?? '';
    expect(text).toMatch(/^\d+(\.\d)? ms compute$/);
    return Number.parseFloat(text);
  };
  expect(await compute('duet')).toBeLessThan((await compute('finetune')) / 5);
  await expect(page.locator('[data-latency="duet"]')).toContainText('over 3');
  await expect(page.locator('[data-figure="bytes-down"]')).toHaveText(/^[\d,]+ B$/);
  await page.mouse.move(0, 0);
  await screenshot(page, 'session-desktop', false);

  // Moving between views keeps the session: same clicks, same DUET list, no re-ranking.
  const duet = (await topList(page, 'duet')).map((r) => r.id);
  await page.getByRole('link', { name: 'Look inside' }).click();
  await expect(page).toHaveURL(/#inside$/);
  await expect(page.locator('#inside canvas')).toHaveCount(4);
  await page.getByRole('link', { name: 'Session', exact: true }).click();
  await expect(page.getByLabel('Clicks this session').locator('.click')).toHaveCount(3);
  expect((await topList(page, 'duet')).map((r) => r.id)).toEqual(duet);

  // The URL holds the session: a reload lands on the same clicks and the same DUET list.
  await page.reload();
  await settled(page, 3);
  expect((await topList(page, 'duet')).map((r) => r.id)).toEqual(duet);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true });

  test('catalog items on the first screen, and a tap shows the DUET list', async ({ page }) => {
    await page.goto('/');
    await settled(page, 0);
    expect(await fullyVisibleCount(catalogOptions(page))).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await chooseGenre(page, 5);
    for (let i = 0; i < 3; i++) {
      await catalogOptions(page).nth(i).tap();
      await settled(page, i + 1);
      // Without scrolling: the DUET list's heading and its first items are on screen.
      const duet = page.locator('section.ranking[data-method="duet"]');
      expect(await inViewport(duet.locator('h3')), 'DUET heading on screen after a tap').toBe(true);
      expect(await fullyVisibleCount(duet.locator('li[data-item]'))).toBeGreaterThanOrEqual(3);
    }
    // The clicks row is not cut: the newest click is whole on screen.
    expect(await inViewport(page.getByLabel('Clicks this session').locator('.click').first())).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'session-phone', false);
  });
});

test('DUET is painted as soon as it answers, while Fine-tune (20 steps) is still fine-tuning', async ({ page }) => {
  await page.goto('/');
  await settled(page, 0);
  const steps = page.getByLabel('Fine-tune steps');
  await steps.fill('20');
  await steps.press('Tab');
  // Records, at the moment DUET's list stops being pending, what Fine-tune's list shows.
  await page.evaluate(() => {
    const w = window as unknown as { seen: { duetAt?: number; finetuneAt?: number; finetuneThen?: string } };
    w.seen = {};
    const duet = document.querySelector('section.ranking[data-method="duet"]')!;
    const ft = document.querySelector('section.ranking[data-method="finetune"]')!;
    new MutationObserver(() => {
      if (
        duet.getAttribute('data-pending') === 'false' &&
        w.seen.duetAt === undefined &&
        w.seen.finetuneThen === undefined &&
        ft.getAttribute('data-pending') !== null
      ) {
        w.seen.duetAt = performance.now();
        w.seen.finetuneThen = `${ft.getAttribute('data-pending')} ${ft.querySelector('.latency')?.textContent}`;
      }
      if (ft.getAttribute('data-pending') === 'false' && w.seen.duetAt !== undefined && w.seen.finetuneAt === undefined) {
        w.seen.finetuneAt = performance.now();
      }
    }).observe(document.querySelector('.lists')!, { attributes: true, subtree: true, attributeFilter: ['data-pending'] });
  });
  await catalogOptions(page).nth(4).click();
  await settled(page, 1);
  const seen = await page.evaluate(
    () => (window as unknown as { seen: { duetAt: number; finetuneAt: number; finetuneThen: string } }).seen,
  );
  expect(seen.finetuneThen).toMatch(/^true fine-tuning… \(20 steps\)/);
  expect(seen.finetuneAt).toBeGreaterThan(seen.duetAt);
});
