// Builds the benchmark page (bench/browser) on its own, with the app's worker format and
// cross-origin isolation headers, so the measured worker runs as the app's would.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('./browser', import.meta.url)),
  base: './',
  worker: { format: 'es' },
  preview: { headers: isolationHeaders },
  server: { headers: isolationHeaders },
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
  },
  logLevel: 'warn',
});
