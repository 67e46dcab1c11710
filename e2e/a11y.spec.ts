import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { catalogOptions, hasShippedModel, screenshot, settled } from './fixtures';

// Keyboard and screen readers: every view passes axe at desktop and phone sizes, and a
// keyboard-only visitor keeps a visible focus through a whole session.

const views = ['session', 'data', 'train', 'inside', 'evaluation', 'how-it-works'];

async function noViolations(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const found = result.violations.map(
    (v) =>
      `${v.id} (${v.nodes.length}): ${v.nodes
        .slice(0, 2)
        .map((n) => n.target.join(' '))
        .join('; ')}`,
  );
  expect(found, `axe on ${where}`).toEqual([]);
}

for (const size of [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 375, height: 812 } },
]) {
  test(`axe finds no violation on any view (${size.name})`, async ({ page }) => {
    test.skip(!(await hasShippedModel(page)), 'no shipped model in this build');
    await page.setViewportSize(size.viewport);
    await page.goto('/');
    await settled(page, 0);
    await catalogOptions(page).nth(1).click();
    await settled(page, 1);
    for (const view of views) {
      await page.evaluate((v) => (location.hash = `#${v}`), view);
      await expect(page.locator(`section.view#${view}`)).toBeVisible();
      if (view === 'session') await settled(page, 1);
      if (view === 'data') await expect(page.getByRole('list', { name: 'Datasets in this browser' })).toBeVisible();
      if (view === 'train') await expect(page.locator('[data-backend]')).not.toHaveAttribute('data-backend', '');
      if (view === 'inside') await expect(page.locator('#inside canvas')).toHaveCount(4);
      await noViolations(page, `${view} (${size.name})`);
    }
    // Presenter mode too (a link's ?present: the phone has no Present button).
    await page.goto('/?present#session');
    await settled(page, 0);
    await expect(page.locator('.session.present')).toBeVisible();
    await noViolations(page, `presenter (${size.name})`);
  });
}

/** Where the focus is, and whether a visitor can see it there. */
function focused(page: Page): Promise<{ what: string; ring: boolean; inView: boolean; body: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { what: 'body', ring: false, inView: false, body: true };
    // Visually hidden inputs (file pickers, tab radios) show their ring on the label around them.
    const r = el.getBoundingClientRect();
    const hidden = r.width <= 2 || getComputedStyle(el).opacity === '0';
    const shown = (hidden ? el.closest('label') : el) ?? el;
    const s = getComputedStyle(shown);
    const box = shown.getBoundingClientRect();
    return {
      what: `${el.tagName.toLowerCase()} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`,
      ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1,
      inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
      body: false,
    };
  });
}

async function expectVisibleFocus(page: Page, step: string): Promise<string> {
  const f = await focused(page);
  expect(f.body, `${step}: focus fell back to the page`).toBe(false);
  expect(f.ring, `${step}: visible focus ring on ${f.what}`).toBe(true);
  expect(f.inView, `${step}: ${f.what} on screen`).toBe(true);
  return f.what;
}

test('a keyboard-only visitor: skip link, one tab stop for the catalog, focus kept through clicks, undo and reset', async ({ page }) => {
  test.skip(!(await hasShippedModel(page)), 'no shipped model in this build');
  await page.goto('/?user=new#how-it-works');
  await expect(page.getByRole('heading', { name: 'How DUET works, in two boxes' })).toBeVisible();

  // The first Tab shows the skip link; Enter lands in the session.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the session' });
  await expect(skip).toBeFocused();
  await expectVisibleFocus(page, 'skip link');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#session$/);
  await settled(page, 0);
  await expect(page.locator('section.view#session')).toBeFocused();

  // Tab forward to the catalog: it is one stop, whatever its length.
  const catalog = page.getByRole('listbox', { name: 'Catalog' });
  let presses = 0;
  while (!(await catalog.evaluate((el) => el.contains(document.activeElement))) && presses < 20) {
    await page.keyboard.press('Tab');
    presses++;
    await expectVisibleFocus(page, `Tab ${presses}`);
  }
  expect(presses, 'Tabs from the session to the catalog').toBeLessThan(12);
  await expect(catalog.locator('[tabindex="0"]')).toHaveCount(1);

  // Arrow keys move within it; Enter clicks; the focus stays on the item while the lists update.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(catalogOptions(page).nth(2)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(catalogOptions(page).nth(2)).toBeFocused();
  await settled(page, 1);
  await expect(catalogOptions(page).nth(2)).toBeFocused();
  await expectVisibleFocus(page, 'after Enter on an item');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press(' ');
  await settled(page, 2);
  await expect(catalogOptions(page).nth(3)).toBeFocused();
  // One Tab leaves the catalog, wherever the visitor was in it.
  await page.keyboard.press('Tab');
  expect(await catalog.evaluate((el) => el.contains(document.activeElement))).toBe(false);
  await screenshot(page, 'a11y-1-keyboard-session');

  // Undo and Reset keep the focus, also when there is nothing left to undo.
  const undo = page.getByRole('button', { name: 'Undo' });
  await undo.focus();
  await page.keyboard.press('Enter');
  await settled(page, 1);
  await expect(undo).toBeFocused();
  await page.keyboard.press('Enter');
  await settled(page, 0);
  await expect(undo).toBeFocused();
  await expect(undo).toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter');
  await expect(undo).toBeFocused();
  await expectVisibleFocus(page, 'Undo with nothing to undo');

  // The views are links in the page order; Enter on one keeps the focus on it.
  const train = page.getByRole('link', { name: 'Train', exact: true });
  await train.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#train$/);
  await expect(train).toBeFocused();
  await expect(train).toHaveAttribute('aria-current', 'page');
});
