import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Cross-origin isolation lets tfjs-wasm use threads on machines with more cores.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Strict CSP for the built app: no inline script; wasm needs 'wasm-unsafe-eval';
// blob: workers are not used, data: images are (heatmaps drawn to canvas don't need it).
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export default defineConfig({
  plugins: [svelte()],
  worker: { format: 'es' },
  server: { headers: isolationHeaders },
  preview: {
    headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
