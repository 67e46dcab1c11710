// Measurements of the built app in Chromium (not tests): `npx vite build && npx playwright
// test -c playwright.bench.config.ts [e2e/<file>.bench.ts]`. Same browser and server as the e2e
// suite; BENCH_PORT serves it on another port (default 4173), so a measurement can run while
// another suite holds 4173.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

const port = Number(process.env.BENCH_PORT ?? 4173);

export default defineConfig({
  ...base,
  testMatch: '**/*.bench.ts',
  timeout: 600_000,
  use: { ...base.use, baseURL: `http://localhost:${port}` },
  webServer: { ...base.webServer, command: `npx vite preview --port ${port} --strictPort`, url: `http://localhost:${port}` },
});
