// The static-host header files say what `vite preview` sends (security-headers.ts), so dist/
// served from Netlify, Cloudflare Pages, Vercel or nginx is isolated and under the same CSP.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { contentSecurityPolicy, metaContentSecurityPolicy, securityHeaders } from '../../security-headers';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

it('public/_headers sends every security header to every path', () => {
  const lines = read('public/_headers').split('\n');
  const block = lines.slice(lines.indexOf('/*') + 1).filter((l) => l.startsWith('  '));
  const sent = Object.fromEntries(
    block.map((l) =>
      l
        .trim()
        .split(/: (.*)/s)
        .slice(0, 2),
    ),
  );
  expect(sent).toEqual(securityHeaders);
});

it('vercel.json sends every security header to every path', () => {
  const config = JSON.parse(read('vercel.json')) as { headers: { source: string; headers: { key: string; value: string }[] }[] };
  expect(config.headers).toHaveLength(1);
  expect(config.headers[0].source).toBe('/(.*)');
  expect(Object.fromEntries(config.headers[0].headers.map((h) => [h.key, h.value]))).toEqual(securityHeaders);
});

it('the nginx snippet in docs/deploy.md adds every security header', () => {
  const sent = Object.fromEntries([...read('docs/deploy.md').matchAll(/add_header (\S+) "([^"]*)" always;/g)].map((m) => [m[1], m[2]]));
  expect(sent).toEqual(securityHeaders);
});

it('the <meta> policy is the header policy without frame-ancestors, which a meta tag cannot carry', () => {
  expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
  expect(metaContentSecurityPolicy).not.toContain('frame-ancestors');
  expect(`${metaContentSecurityPolicy}; frame-ancestors 'none'`).toBe(contentSecurityPolicy);
});
