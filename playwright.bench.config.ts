// Measurements of the built app in Chromium (not tests): `npx vite build && npx playwright
// test -c playwright.bench.config.ts`. Same browser and server as the e2e suite.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({ ...base, testMatch: '**/*.bench.ts', timeout: 600_000 });
