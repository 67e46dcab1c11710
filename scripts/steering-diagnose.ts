// Why a model does or does not follow a session (docs/steering.md, "Causes"): how much of the
// catalog scores is the same for every user (a popularity term), and how alike the top-10s of
// different users are. Usage: npm run steering:diagnose -- [--base F] [--duet F] [--users 300]
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { readDefaultDataset } from './default-dataset';
import { initBackend } from '../src/engine/backend';
import type { RecModel } from '../src/engine/model';
import { decodeModelFile, deserializeModel } from '../src/engine/serialize';
import { catalogTowers } from '../src/engine/evaluate';
import { rankCatalog } from '../src/engine/session';
import { createRng, shuffle } from '../src/random';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'public/models/default-sasrec-base.duetmodel' },
    duet: { type: 'string', default: 'public/models/default-sasrec-duet.duetmodel' },
    users: { type: 'string', default: '300' },
    data: { type: 'string', default: 'datasets/default' },
  },
});

async function loadModel(path: string): Promise<RecModel> {
  const bytes = await readFile(path);
  return deserializeModel(decodeModelFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), 'weights');
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const dataset = await readDefaultDataset(values.data);
  const h = dataset.histories!;
  const V = dataset.numItems + 1;
  const clicks = new Float64Array(V);
  for (let u = 0; u < h.devicePeriodStart.length; u++) for (let p = h.offsets[u]; p < h.devicePeriodStart[u]; p++) clicks[h.items[p]]++;
  const logPop = Array.from(clicks, (c) => Math.log(1 + c)).slice(1);
  const users = Array.from({ length: h.devicePeriodStart.length }, (_, u) => u);
  shuffle(createRng(5), users);
  const chosen = users.slice(0, Number(values.users));
  for (const [name, path] of [
    ['base', values.base!],
    ['duet', values.duet!],
  ] as const) {
    const model = await loadModel(path);
    const towers = await catalogTowers(model).array(); // [D][V]
    const norms = Array.from({ length: V - 1 }, (_, i) => Math.hypot(...towers.map((row) => row[i + 1])));
    // Scores of every item for each chosen user's full history (cloud + device period).
    const rows: Float32Array[] = [];
    const tops: Set<number>[] = [];
    for (const u of chosen) {
      const seq = h.items.subarray(h.offsets[u], h.offsets[u + 1]);
      const top = await rankCatalog(model, seq, V - 1);
      const s = new Float32Array(V - 1);
      for (const r of top) s[r.itemId - 1] = r.score;
      rows.push(s);
      tops.push(new Set(top.slice(0, 10).map((r) => r.itemId)));
    }
    const itemMean = new Float64Array(V - 1);
    for (const s of rows) for (let i = 0; i < V - 1; i++) itemMean[i] += s[i] / rows.length;
    let total = 0,
      between = 0,
      grand = 0;
    for (const s of rows) for (let i = 0; i < V - 1; i++) grand += s[i] / (rows.length * (V - 1));
    for (const s of rows)
      for (let i = 0; i < V - 1; i++) {
        total += (s[i] - grand) ** 2;
        between += (itemMean[i] - grand) ** 2;
      }
    let overlap = 0,
      pairs = 0;
    for (let a = 0; a < tops.length; a++)
      for (let b = a + 1; b < tops.length; b++) {
        let common = 0;
        for (const x of tops[a]) if (tops[b].has(x)) common++;
        overlap += common / 10;
        pairs++;
      }
    const counts = new Map<number, number>();
    for (const t of tops) for (const x of t) counts.set(x, (counts.get(x) ?? 0) + 1);
    console.log(`${name}: share of score variance that is the same for every user (item mean): ${(between / total).toFixed(3)}`);
    console.log(
      `${name}: corr(item mean score, log cloud clicks) ${pearson(itemMean, logPop).toFixed(3)}; corr(tower norm, log clicks) ${pearson(norms, logPop).toFixed(3)}`,
    );
    console.log(
      `${name}: mean top-10 overlap between two users ${overlap / pairs >= 0 ? (overlap / pairs).toFixed(3) : '-'}; distinct items in ${tops.length} top-10s: ${counts.size}`,
    );
    tf.dispose(model.catalog!);
  }
}

await main();
