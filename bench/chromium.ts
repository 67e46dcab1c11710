// The browser half of `npm run bench`: builds the bench page with Vite, serves it with the
// app's isolation headers, and runs the suite inside a module worker in headless Chromium.
import { build, preview } from 'vite';
import { chromium, type Browser } from '@playwright/test';
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

/**
 * What headless Chromium needs to use a hardware GPU (Linux, Vulkan driver): without these it
 * gets SwiftShader, a software adapter. On a machine with no GPU they change nothing useful.
 */
export const gpuChromiumArgs = ['--enable-features=Vulkan,VulkanFromANGLE', '--use-angle=vulkan', '--ignore-gpu-blocklist', '--enable-gpu'];

/**
 * Reads the bench worker's JS heap through CDP (Runtime.getHeapUsage on the worker target):
 * dedicated workers have no performance.memory. Undefined when no worker target answers.
 */
async function workerHeapReader(browser: Browser): Promise<() => Promise<number | undefined>> {
  const cdp = await browser.newBrowserCDPSession();
  let nextId = 1;
  const pending = new Map<number, (usedSize: number | undefined) => void>();
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const reply = JSON.parse(message) as { id?: number; result?: { usedSize?: number } };
    if (reply.id === undefined) return;
    pending.get(reply.id)?.(reply.result?.usedSize);
    pending.delete(reply.id);
  });
  return async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'worker');
    if (!target) return undefined;
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
    try {
      const id = nextId++;
      const reply = new Promise<number | undefined>((resolve) => {
        pending.set(id, resolve);
        setTimeout(() => resolve(undefined), 5000);
      });
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
      return await reply;
    } finally {
      await cdp.send('Target.detachFromTarget', { sessionId });
    }
  };
}

export async function runChromiumBench(
  quick: boolean,
  log: (line: string) => void = console.log,
  backends: BackendName[] = quick ? ['wasm'] : ['wasm', 'webgpu', 'webgl', 'cpu'],
  options: { gpu?: boolean } = {},
): Promise<Partial<BenchResults>> {
  log('building the bench page ...');
  await build({ configFile });
  const server = await preview({ configFile, preview: { port, strictPort: true, host: '127.0.0.1' } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: options.gpu ? [...chromiumArgs, ...gpuChromiumArgs] : chromiumArgs,
  });
  try {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await page.exposeFunction('pageHeapBytes', async () => (await cdp.send('Runtime.getHeapUsage')).usedSize);
    await page.exposeFunction('workerHeapBytes', await workerHeapReader(browser));
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
