// Node resolve hook: tfjs-core's ESM files (needed for dist/register_all_gradients, which no
// CommonJS bundle contains) import siblings without extensions ('./gradients'), which Node's
// ESM loader rejects. Inside @tensorflow packages only, try `<specifier>.js` then
// `<specifier>/index.js`. Bundlers (Vite, Vitest) resolve these themselves.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  if (specifier.startsWith('.') && parent.includes('/node_modules/@tensorflow/') && !/\.[cm]?js$/.test(specifier)) {
    const base = new URL(specifier, parent).href;
    for (const candidate of [`${base}.js`, `${base}/index.js`]) {
      if (existsSync(fileURLToPath(candidate))) return nextResolve(candidate, context);
    }
  }
  return nextResolve(specifier, context);
}
