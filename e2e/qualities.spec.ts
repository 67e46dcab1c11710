import { test, expect, type Page } from '@playwright/test';
import { catalogOptions, hasShippedModel, screenshot, settled } from './fixtures';

// The demo's qualities, checked the way a visitor meets them: by keyboard alone on every
// view, on a 375 px phone, watching the lists while clicking, and under the strict CSP.

const views = ['session', 'data', 'train', 'inside', 'evaluation', 'how-it-works'];

/** Marks every control Tab can reach after `from` (one per radio group) with data-kb="i", in DOM order. */
function markControls(page: Page, from: string): Promise<{ count: number; positiveTabindex: number }> {
  return page.evaluate((fromSelector) => {
    const start = document.querySelector(fromSelector)!;
    const all = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')];
    const groups = new Set<string>();
    let count = 0;
    for (const el of all) {
      el.removeAttribute('data-kb');
      if (!(start.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      if ((el as HTMLButtonElement).disabled || el.tabIndex < 0 || !el.getClientRects().length) continue;
      if (getComputedStyle(el).visibility === 'hidden') continue;
      if (el instanceof HTMLInputElement && el.type === 'radio') {
        const group = document.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${el.name}"]`);
        const stop = [...group].find((r) => r.checked) ?? group[0];
        if (el !== stop || groups.has(el.name)) continue;
        groups.add(el.name);
      }
      el.setAttribute('data-kb', String(count++));
    }
    return { count, positiveTabindex: all.filter((el) => el.tabIndex > 0).length };
  }, from);
}

/** Where Tab put the focus, and whether a visitor can see it there. */
function focused(page: Page): Promise<{ kb: string | null; what: string; ring: boolean; inView: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { kb: null, what: 'body', ring: true, inView: true };
    const ringOn = (e: Element) => {
      const s = getComputedStyle(e);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
    };
    // Visually hidden inputs (file pickers, tab radios) show their ring on the label around them.
    const r = el.getBoundingClientRect();
    const hidden = r.width <= 2 || getComputedStyle(el).opacity === '0';
    const shown = hidden ? el.closest('label') : el;
    const box = (shown ?? el).getBoundingClientRect();
    return {
      kb: el.getAttribute('data-kb'),
      what: `${el.tagName.toLowerCase()} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`,
      ring: shown ? ringOn(shown) : false,
      inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
    };
  });
}

test('on every view, Tab reaches every control in page order with a visible focus ring', async ({ page }) => {
  const shipped = await hasShippedModel(page);
  await page.goto('/');
  if (shipped) await settled(page, 0);
  for (const view of views) {
    await page.evaluate((v) => (location.hash = `#${v}`), view);
    await expect(page.locator(`section.view#${view}`)).toBeVisible();
    if (view === 'data') await expect(page.getByRole('list', { name: 'Datasets in this browser' })).toBeVisible();
    // Start from the page's title: the skip link before it is checked in a11y.spec.ts.
    await page.locator('h1').click();
    const { count, positiveTabindex } = await markControls(page, 'h1');
    expect(positiveTabindex, 'no tabindex > 0 reorders the page').toBe(0);
    expect(count, `controls on ${view}`).toBeGreaterThan(6);
    const reached: number[] = [];
    for (let press = 0; press < count + 3 && reached.length < count; press++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (f.kb === null) continue;
      expect(f.ring, `visible focus on ${f.what} (${view})`).toBe(true);
      expect(f.inView, `${f.what} scrolled into view (${view})`).toBe(true);
      reached.push(Number(f.kb));
    }
    expect(reached, `Tab order on ${view}`).toEqual([...Array(count).keys()]);
  }
});

test.describe('on a 375 px phone', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  async function noSideScroll(page: Page, when: string): Promise<void> {
    // overflow-x: hidden on the page would hide an overflow instead of fixing it.
    expect(await page.evaluate(() => getComputedStyle(document.body).overflowX)).not.toBe('hidden');
    for (const view of views) {
      await page.evaluate((v) => (location.hash = `#${v}`), view);
      await expect(page.locator(`section.view#${view}`)).toBeVisible();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `page width on #${view} ${when}`).toBeLessThanOrEqual(375);
    }
    await page.evaluate(() => (location.hash = '#session'));
  }

  test('no view scrolls sideways, before and during a session; one list at a time, switched by keyboard', async ({ page }) => {
    const shipped = await hasShippedModel(page);
    await page.goto('/');
    if (shipped) await settled(page, 0);
    await noSideScroll(page, 'on arrival');
    await screenshot(page, 'qualities-2-phone-arrival');
    if (!shipped) return;

    await catalogOptions(page).nth(0).click();
    await settled(page, 1);
    await catalogOptions(page).nth(1).click();
    await settled(page, 2);
    // One list at a time on a phone; the method tabs switch it, by keyboard too.
    await expect(page.locator('section.ranking:visible')).toHaveCount(1);
    await expect(page.locator('section.ranking[data-method="duet"]')).toBeVisible();
    await page.getByRole('radio', { name: 'DUET' }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.locator('section.ranking[data-method="finetune"]')).toBeVisible();
    await expect(page.locator('section.ranking:visible')).toHaveCount(1);
    expect(page.url()).toContain('method=finetune');
    await noSideScroll(page, 'after two clicks');
    await screenshot(page, 'qualities-3-phone-session');
  });
});

test('the three lists keep their size and place while they update', async ({ page }) => {
  test.skip(!(await hasShippedModel(page)), 'no shipped model in this build');
  await page.goto('/');
  await settled(page, 0);
  const lists = page.locator('section.ranking[data-method]');
  const boxes = () =>
    lists.evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { method: el.getAttribute('data-method'), top: r.top + scrollY, height: r.height, width: r.width };
      }),
    );
  // Any size change in between, however short (e.g. while the worker answers), is recorded.
  await lists.evaluateAll((els) => {
    const w = window as unknown as { resized: string[] };
    w.resized = [];
    const seen = new Set<Element>();
    const observer = new ResizeObserver((entries) => {
      for (const e of entries) {
        if (seen.has(e.target)) w.resized.push(`${e.target.getAttribute('data-method')}: ${e.contentRect.height}`);
        seen.add(e.target);
      }
    });
    els.forEach((el) => observer.observe(el));
  });
  const before = await boxes();
  expect(before).toHaveLength(3);
  // Enough clicks that the session's click chips would need a second line.
  for (let i = 0; i < 7; i++) {
    await catalogOptions(page)
      .nth(i * 2)
      .click();
    await settled(page, i + 1);
  }
  expect(await boxes()).toEqual(before);
  expect(await page.evaluate(() => (window as unknown as { resized: string[] }).resized)).toEqual([]);
});

test('the strict CSP holds: no inline script, and nothing the app does is refused', async ({ page }) => {
  const refused: string[] = [];
  // Workers report refusals only on their console; the page also gets the DOM event.
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) refused.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { refused: string[] }).refused.push(`${e.effectiveDirective} ${e.blockedURI}`);
    });
    (window as unknown as { refused: string[] }).refused = [];
  });
  const domRefusals = () => page.evaluate(() => (window as unknown as { refused: string[] }).refused);

  const response = await page.request.get('/');
  const csp = response.headers()['content-security-policy'] ?? '';
  const scriptSrc =
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src')) ?? '';
  expect(scriptSrc).toMatch(/^script-src 'self'/);
  expect(scriptSrc).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\bdata:|\bblob:/);

  const shipped = await hasShippedModel(page);
  await page.goto('/');
  expect(await page.locator('script:not([src])').count(), 'inline scripts in the page').toBe(0);
  if (shipped) {
    await settled(page, 0);
    await catalogOptions(page).nth(0).click();
    await settled(page, 1);
    await page.evaluate(() => (location.hash = '#inside'));
    await expect(page.locator('#inside canvas')).toHaveCount(4);
  }
  expect(await domRefusals()).toEqual([]);
  expect(refused).toEqual([]);

  // The watch works: an injected inline script is refused and reported.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
  });
  // Refused once per policy that forbids it: the header and the built page's <meta> tag.
  await expect.poll(async () => (await domRefusals()).length).toBeGreaterThan(0);
  for (const refusal of await domRefusals()) expect(refusal).toMatch(/^script-src/);
  expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
});
