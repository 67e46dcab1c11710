// A seeded MovieLens-style ratings log for measuring imports at real sizes:
// `user::item::rating::timestamp` (ML-1M/10M's ratings.dat layout), users with a
// heavy-tailed number of ratings (at least 20, as MovieLens), items by a Zipf-like
// popularity, each user's timestamps increasing but rows written sorted by item (as the real
// files are not in time order). Written in chunks; never commit the output.
//
//   npx tsx scripts/synthetic-log.ts --preset ml-1m --out /tmp/ml1m.dat
//   npx tsx scripts/synthetic-log.ts --users 70000 --items 10677 --interactions 10000000 --out /tmp/ml10m.dat
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRng, randomInt, zipfSampler } from '../src/random';

const presets = {
  'ml-1m': { users: 6040, items: 3706, interactions: 1_000_209 },
  'ml-10m': { users: 69_878, items: 10_677, interactions: 10_000_054 },
} as const;

const { values } = parseArgs({
  options: {
    preset: { type: 'string' },
    users: { type: 'string' },
    items: { type: 'string' },
    interactions: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
const preset = values.preset ? presets[values.preset as keyof typeof presets] : undefined;
if (values.preset && !preset) throw new Error(`--preset must be one of ${Object.keys(presets).join(', ')}`);
const users = Number(values.users ?? preset?.users ?? 6040);
const items = Number(values.items ?? preset?.items ?? 3706);
const total = Number(values.interactions ?? preset?.interactions ?? 1_000_000);
if (!values.out) throw new Error('--out FILE is required');
const rng = createRng(Number(values.seed));

// Ratings per user: 20 + a heavy tail (Pareto-like), scaled to the requested total.
const weights = Array.from({ length: users }, () => 1 / Math.pow(1 - rng() * 0.999, 0.8));
const sum = weights.reduce((a, b) => a + b, 0);
const cap = Math.floor(items * 0.6);
const counts = weights.map((w) => Math.min(cap, 20 + Math.floor(((total - 20 * users) * w) / sum)));
// Rounding and the catalog cap leave a few short: hand them to random users with room.
for (let left = total - counts.reduce((a, b) => a + b, 0); left > 0;) {
  const u = randomInt(rng, users);
  if (counts[u] < cap) {
    counts[u]++;
    left--;
  }
}
// Item popularity ~ 1 / rank^0.9.
const drawItem = zipfSampler(rng, items, 0.9);

const out = createWriteStream(values.out);
const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', () => resolve())));
let written = 0;
for (let u = 0; u < users; u++) {
  const seen = new Set<number>();
  while (seen.size < counts[u]) seen.add(drawItem());
  const start = 956_703_932 + randomInt(rng, 60_000_000);
  const rows = [...seen].map((item, k) => ({ item, time: start + k * (1 + randomInt(rng, 3600)) }));
  rows.sort((a, b) => a.item - b.item);
  await write(rows.map((r) => `${u + 1}::${r.item}::${1 + randomInt(rng, 5)}::${r.time}\n`).join(''));
  written += rows.length;
}
await new Promise<void>((resolve) => out.end(resolve));
console.log(`${values.out}: ${users} users, ${items} items, ${written} ratings`);
