// How far three clicks of one genre move each model's top-10 towards that genre, for every
// genre of the default dataset, with the shipped SASRec models (the demo's session test
// checks one genre; this measures them all). Usage:
//   npm run genre-steering -- [--pick catalog|popular] [--models public/models]
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Dataset } from '../src/data/types';
import { readDefaultDataset } from './default-dataset';
import { initBackend } from '../src/engine/backend';
import type { RecModel } from '../src/engine/model';
import { decodeModelFile, deserializeModel } from '../src/engine/serialize';
import { rankCatalog } from '../src/engine/session';

const { values } = parseArgs({
  options: {
    pick: { type: 'string', default: 'catalog' },
    models: { type: 'string', default: 'public/models' },
  },
});

async function loadModel(path: string): Promise<RecModel> {
  const bytes = await readFile(path);
  return deserializeModel(decodeModelFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), 'weights');
}

/** Share of a list that belongs to `genre`; an item with n genres counts 1/n (as the e2e test does). */
function genreShare(dataset: Dataset, list: { itemId: number }[], genre: string): number {
  const credit = list.map(({ itemId }) => {
    const genres = dataset.items[itemId].genres;
    return genres.includes(genre) ? 1 / genres.length : 0;
  });
  return credit.reduce((a, b) => a + b, 0) / list.length;
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const dataset = await readDefaultDataset();
  const models = {
    base: await loadModel(`${values.models}/default-sasrec-base.duetmodel`),
    duet: await loadModel(`${values.models}/default-sasrec-duet.duetmodel`),
  };
  const clicks = new Int32Array(dataset.numItems + 1);
  for (const item of dataset.histories!.items) clicks[item]++;
  const genres = [...new Set(dataset.items.slice(1).flatMap((item) => item.genres))].sort();
  const empty = new Int32Array(0);
  const before = { base: await rankCatalog(models.base, empty, 10), duet: await rankCatalog(models.duet, empty, 10) };
  let duetAhead = 0;
  console.log(`| genre (3 clicks, ${values.pick} order) | Base gain | DUET gain |\n|---|---:|---:|`);
  for (const genre of genres) {
    let items = dataset.items.slice(1).filter((item) => item.genres.includes(genre));
    if (values.pick === 'popular') items = items.sort((a, b) => clicks[b.id] - clicks[a.id]);
    const session = new Int32Array(items.slice(0, 3).map((item) => item.id));
    const gain = async (method: 'base' | 'duet') =>
      genreShare(dataset, await rankCatalog(models[method], session, 10, session), genre) - genreShare(dataset, before[method], genre);
    const baseGain = await gain('base');
    const duetGain = await gain('duet');
    if (duetGain > baseGain) duetAhead++;
    console.log(`| ${genre} | ${baseGain.toFixed(2)} | ${duetGain.toFixed(2)} |`);
  }
  console.log(`\nDUET moved further towards the clicked genre than Base in ${duetAhead} of ${genres.length} genres.`);
}

await main();
