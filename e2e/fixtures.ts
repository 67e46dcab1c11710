// Test inputs for the e2e specs. The MovieLens zip is the data helper's fixture when it is
// committed; until then an equivalent one is built here with fflate.
import { existsSync, readFileSync } from 'node:fs';
import { zipSync, strToU8 } from 'fflate';
import type { Page } from '@playwright/test';

export const scriptTitle = 'Danger <script>window.__pwned = 1</script> (1999)';

/** A MovieLens-format zip: 12 users x 30 ratings over 40 movies, one title holding <script>. */
export function tinyMovieLensZip(): Buffer {
  const committed = 'tests/fixtures/ml-tiny.zip';
  if (existsSync(committed)) return readFileSync(committed);
  const genres = ['Action', 'Comedy', 'Drama', 'Horror'];
  const movies = ['movieId,title,genres'];
  for (let m = 1; m <= 40; m++) {
    const title = m === 1 ? scriptTitle : `Tiny Movie ${m} (${1980 + m})`;
    movies.push(`${m},"${title.replace(/"/g, '""')}",${genres[m % 4]}|${genres[(m + 1) % 4]}`);
  }
  const ratings = ['userId,movieId,rating,timestamp'];
  for (let u = 1; u <= 12; u++) {
    for (let j = 0; j < 30; j++) {
      const movie = ((u * 7 + j * 3) % 40) + 1;
      ratings.push(`${u},${movie},${(j % 5) + 1},${1_000_000_000 + u * 10_000 + j * 60}`);
    }
  }
  const zip = zipSync({
    'ml-tiny/movies.csv': strToU8(movies.join('\n')),
    'ml-tiny/ratings.csv': strToU8(ratings.join('\n')),
  });
  return Buffer.from(zip);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** Waits for the first visit's default dataset, then imports the tiny MovieLens zip. */
export async function importTinyDataset(page: Page, name = 'ML tiny'): Promise<void> {
  const list = page.getByRole('list', { name: 'Datasets in this browser' });
  await list.getByRole('listitem').first().waitFor({ timeout: 120_000 });
  const form = page.getByRole('form', { name: 'Import a dataset' });
  await form.locator('input[type="file"]').setInputFiles({
    name: 'ml-tiny.zip',
    mimeType: 'application/zip',
    buffer: tinyMovieLensZip(),
  });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Import' }).click();
  await form.getByRole('status').filter({ hasText: 'Imported' }).waitFor({ timeout: 120_000 });
}

/** Item ids and genres of one method's top-10 in the device session. */
export async function topList(page: Page, method: 'base' | 'finetune' | 'duet'): Promise<{ id: string; genres: string[] }[]> {
  return page.locator(`section[data-method="${method}"] li[data-item]:not([data-item=""])`).evaluateAll((rows) =>
    rows.map((r) => ({ id: r.getAttribute('data-item') ?? '', genres: (r.getAttribute('data-genres') ?? '').split('|').filter(Boolean) })),
  );
}

/** Share of a genre in a list, each item's genres splitting its weight (as the page does). */
export function genreShare(list: { genres: string[] }[], genre: string): number {
  if (!list.length) return 0;
  return list.reduce((s, r) => s + (r.genres.includes(genre) ? 1 / r.genres.length : 0), 0) / list.length;
}
