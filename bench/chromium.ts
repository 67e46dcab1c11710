// The browser half of `npm run bench`: builds the bench page with Vite, serves it with the
// app's isolation headers, and runs the suite inside a module worker in headless Chromium.
import { build, preview } from 'vite';
import { chromium } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../src/engine/types';
import type { BenchResults } from './results';

const configFile = fileURLToPath(new URL('./vite.bench.config.ts', import.meta.url));
const port = 4179;

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

export async function runChromiumBench(
  quick: boolean,
  log: (line: string) => void = console.log,
  backends: BackendName[] = quick ? ['wasm'] : ['wasm', 'webgpu', 'webgl', 'cpu'],
): Promise<Partial<BenchResults>> {
  log('building the bench page ...');
  await build({ configFile });
  const server = await preview({ configFile, preview: { port, strictPort: true, host: '127.0.0.1' } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
  });
  try {
    const page = await browser.newPage();
    page.on('console', (message) => log(`[chromium] ${message.text()}`));
    page.on('pageerror', (error) => log(`[chromium] page error: ${error.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    page.setDefaultTimeout(0);
    return await page.evaluate((options) => window.runBench(options), { quick, backends });
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
