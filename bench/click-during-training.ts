// DUET click latency while a training run goes on, in the built app's own engine worker in
// headless Chromium: idle clicks first, then the same clicks while the default dataset trains
// (in the nested training worker). Prints p50/p95 of click-to-answer (page -> worker -> page).
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/click-during-training.ts [--clicks 60] [--gap-ms 150] [--backend wasm] [--no-build]
// The page talks to the worker with Comlink's wire messages directly, so nothing depends on the UI.
import { readdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { build, preview } from 'vite';
import { chromium } from '@playwright/test';
import { chromiumArgs } from './chromium';
import { percentiles } from './results';

const { values } = parseArgs({
  options: {
    clicks: { type: 'string', default: '60' },
    'gap-ms': { type: 'string', default: '150' },
    backend: { type: 'string', default: 'wasm' },
    'no-build': { type: 'boolean', default: false },
  },
});
const clicks = Number(values.clicks);
const gapMs = Number(values['gap-ms']);
const port = 4181;

interface PageResult {
  idle: number[];
  training: number[];
  progressDuringClicks: number;
  overallFraction: number;
  backend: string;
  error?: string;
}

async function main(): Promise<void> {
  if (!values['no-build']) {
    console.error('building the app ...');
    await build({ logLevel: 'warn' });
  }
  const worker = (await readdir('dist/assets')).find((f) => /^engine\.worker-.*\.js$/.test(f));
  if (!worker) throw new Error('dist/assets has no engine worker: build the app first');
  const server = await preview({ preview: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    page.on('console', (m) => console.error(`[chromium] ${m.text()}`));
    page.setDefaultTimeout(0);
    // tsx names nested functions with a helper the page does not have.
    await page.addInitScript('globalThis.__name = (f) => f;');
    // Any same-origin page with the isolation headers will do; the app itself would start a second engine.
    await page.goto(`http://127.0.0.1:${port}/models/manifest.json`);
    const result: PageResult = await page.evaluate(
      async ({ workerUrl, clicks, gapMs, backend }) => {
        const w = new Worker(workerUrl, { type: 'module' });
        let nextId = 0;
        const waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
        w.addEventListener('message', (e: MessageEvent) => {
          const { id, type, value } = e.data as { id: string; type: string; value: unknown };
          const p = waiting.get(id);
          if (!p) return;
          waiting.delete(id);
          if (type === 'HANDLER') p.reject((value as { value: unknown }).value);
          else p.resolve(value);
        });
        type Wire = { type: 'RAW'; value: unknown } | { type: 'HANDLER'; name: 'proxy'; value: MessagePort };
        const call = (name: string, args: Wire[], transfer: Transferable[] = []) =>
          new Promise<unknown>((resolve, reject) => {
            const id = String(nextId++);
            waiting.set(id, { resolve, reject });
            w.postMessage({ id, type: 'APPLY', path: [name], argumentList: args }, transfer);
          });
        const raw = (value: unknown): Wire => ({ type: 'RAW', value });
        // A callback the worker can call (what Comlink.proxy does).
        const callback = (fn: (arg: unknown) => void): [Wire, MessagePort] => {
          const { port1, port2 } = new MessageChannel();
          port1.onmessage = (e: MessageEvent) => {
            const { id, type, argumentList } = e.data as { id: string; type: string; argumentList?: { value: unknown }[] };
            if (type === 'APPLY') fn(argumentList?.[0]?.value);
            port1.postMessage({ id, type: 'RAW', value: undefined });
          };
          return [{ type: 'HANDLER', name: 'proxy', value: port2 }, port2];
        };
        const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

        const active = (await call('setBackend', [raw(backend)])) as { name: string };
        await call('ensureDefaultDataset', []);
        const users = (await call('sessionUsers', [raw('default'), raw(5)])) as { history: Int32Array; deviceClicks: Int32Array }[];
        const sequence = Int32Array.from([...users[0].history.slice(-20), ...users[0].deviceClicks]);
        const click = async (i: number) => {
          const seq = sequence.slice(0, 10 + (i % (sequence.length - 10)));
          const start = performance.now();
          await call('rank', [raw('default'), raw('sasrec'), raw(seq), raw(['duet']), raw({ k: 10, finetuneSteps: 0 })]);
          return performance.now() - start;
        };
        for (let i = 0; i < 3; i++) await click(i); // warm-up: loads the model, builds the catalog towers
        const idle: number[] = [];
        for (let i = 0; i < clicks; i++) {
          idle.push(await click(i));
          await sleep(gapMs);
        }

        let progressCount = 0;
        let overallFraction = 0;
        let started!: () => void;
        const firstProgress = new Promise<void>((r) => (started = r));
        const [onProgress, port] = callback((p) => {
          progressCount++;
          overallFraction = (p as { overallFraction: number }).overallFraction;
          started();
        });
        const request = {
          datasetId: 'default',
          backbone: 'sasrec',
          methods: ['duet'],
          model: {},
          duet: {},
          train: { epochs: 1 },
          resume: false,
        };
        let error: string | undefined;
        const run = call('train', [raw(request), onProgress], [port]).catch((e: unknown) => {
          error = (e as { code?: string; message?: string }).code;
        });
        await Promise.race([firstProgress, run]);
        const before = progressCount;
        const training: number[] = [];
        for (let i = 0; i < clicks && error === undefined; i++) {
          training.push(await click(i));
          await sleep(gapMs);
        }
        const progressDuringClicks = progressCount - before;
        await call('cancelTraining', []);
        await run;
        w.terminate();
        return {
          idle,
          training,
          progressDuringClicks,
          overallFraction,
          backend: active.name,
          error: error === 'cancelled' ? undefined : error,
        };
      },
      { workerUrl: `/assets/${worker}`, clicks, gapMs, backend: values.backend },
    );
    if (result.error) throw new Error(`training stopped early: ${result.error}`);
    const idle = percentiles(result.idle);
    const during = percentiles(result.training);
    const ms = (v: number) => v.toFixed(1);
    console.log(`DUET click, SASRec, default dataset, ${result.backend}, one click every ~${gapMs} ms (page -> worker -> page):`);
    console.log(`  idle:            p50 ${ms(idle.p50)} ms, p95 ${ms(idle.p95)} ms (n = ${idle.n})`);
    console.log(
      `  during training: p50 ${ms(during.p50)} ms, p95 ${ms(during.p95)} ms (n = ${during.n}); ` +
        `${result.progressDuringClicks} progress reports meanwhile, run at ${(100 * result.overallFraction).toFixed(1)}% when cancelled`,
    );
    console.log(`  target p95 <= 50 ms during training: ${during.p95 <= 50 ? 'met' : 'NOT met'}`);
    console.log(
      JSON.stringify({
        backend: result.backend,
        idle,
        during_training: during,
        progress_reports_during_clicks: result.progressDuringClicks,
      }),
    );
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

main().catch((error: unknown) => {
  console.error(`click-during-training: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
