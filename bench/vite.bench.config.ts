// Builds the benchmark page (bench/browser) on its own, with the app's worker format,
// cross-origin isolation headers and Content-Security-Policy, so the measured worker runs as
// the app's would (and our SIMD kernels are shown to compile under 'wasm-unsafe-eval').
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, isolationHeaders } from '../security-headers';

export default defineConfig({
  root: fileURLToPath(new URL('./browser', import.meta.url)),
  base: './',
  worker: { format: 'es' },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy } },
  server: { headers: isolationHeaders },
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
  },
  logLevel: 'warn',
});
