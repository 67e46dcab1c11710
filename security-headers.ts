// The headers the app is served with: one source for `vite preview`, the CSP <meta> tag in the
// built index.html, and the static-host files (public/_headers, vercel.json; a test keeps them
// in step).

/** Cross-origin isolation: lets tfjs-wasm use threads on machines with more cores. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

// Strict CSP: no inline script; wasm needs 'wasm-unsafe-eval'; blob: workers are not used,
// data: images are (heatmaps drawn to canvas don't need it).
const directives = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
];

/** The policy as a response header. */
export const contentSecurityPolicy = directives.join('; ');

/** The same policy for a <meta http-equiv> tag, which cannot carry frame-ancestors (browsers ignore it there). */
export const metaContentSecurityPolicy = directives.filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/** Every header a host should send with every file. */
export const securityHeaders: Record<string, string> = {
  ...isolationHeaders,
  'Content-Security-Policy': contentSecurityPolicy,
};
