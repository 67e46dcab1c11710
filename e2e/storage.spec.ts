import { test, expect, type Page } from '@playwright/test';
import { screenshot } from './fixtures';
import { DB_VERSION } from '../src/data/store';

// A newer build of the app: the same worker, but its store asks for schema version n + 1
// (what bumping DB_VERSION in src/data/store.ts does). Prepended to the served worker script.
const newerBuild = `{
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name, version) {
    return open.call(this, name, name === 'duet' && version ? version + 1 : version);
  };
}
`;

async function serveNewerBuild(page: Page): Promise<void> {
  await page.route('**/assets/engine.worker-*.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: newerBuild + (await response.text()) });
  });
}

const datasetItems = (page: Page) => page.getByRole('list', { name: 'Datasets in this browser' }).getByRole('listitem');

test('a tab holding an older version of the storage open gets a clear message, and closing it lets the app in', async ({ context }) => {
  // The older tab: this build, with its default dataset stored (schema version DB_VERSION)...
  const older = await context.newPage();
  await older.goto('/#data');
  await expect(datasetItems(older)).toHaveCount(1, { timeout: 120_000 });
  // ...and a connection that, like an old build without a versionchange handler, never lets go.
  const held = await older.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('duet');
        request.onsuccess = () => {
          (window as unknown as { held: IDBDatabase }).held = request.result;
          resolve(request.result.version);
        };
        request.onerror = () => reject(request.error);
      }),
  );
  expect(held).toBe(DB_VERSION);

  // The newer tab cannot upgrade the store: the page says why and what to do, at the top.
  const newer = await context.newPage();
  await serveNewerBuild(newer);
  await newer.goto('/#data');
  const banner = newer.locator('header').getByRole('alert');
  await expect(banner).toHaveAttribute('data-code', 'blocked', { timeout: 60_000 });
  await expect(banner).toContainText('another tab');
  await expect(banner).toContainText('Close the other tabs and reload');
  await expect(banner).not.toHaveText(/\bat \S+ \(|\.(ts|js):\d+/);
  // Said once: the Data step does not repeat it, and it is not a silent empty list.
  await expect(newer.getByRole('alert')).toHaveCount(1);
  await expect(datasetItems(newer)).toHaveCount(0);
  await screenshot(newer, 'storage-1-blocked');

  // Closing the older tab and reloading (from the keyboard) upgrades the store, data kept.
  await older.close();
  await banner.getByRole('button', { name: 'Reload this page' }).focus();
  await newer.keyboard.press('Enter');
  await expect(datasetItems(newer)).toHaveCount(1, { timeout: 60_000 });
  await expect(newer.getByRole('alert')).toHaveCount(0);
  const version = await newer.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === 'duet')?.version);
  expect(version).toBe(DB_VERSION + 1);
  await screenshot(newer, 'storage-2-upgraded');
});
