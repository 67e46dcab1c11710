import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { contentSecurityPolicy, isolationHeaders, metaContentSecurityPolicy } from './security-headers.ts';

/** The built index.html carries its CSP, so any static host of dist/ enforces it (dev runs without). */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  plugins: [svelte(), contentSecurityPolicyMeta()],
  worker: { format: 'es' },
  server: { headers: isolationHeaders },
  preview: {
    headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
