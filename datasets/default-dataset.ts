// The default dataset as three text files, generated from a seed with no I/O.
import Papa from 'papaparse';
import { createRng } from '../src/random.ts';
import { CATALOG, GENRES, GENRE_LABELS } from './catalog/index.ts';
import { buildCatalogIndex } from './catalog-index.ts';
import { DEFAULT_SIMULATION, simulateUsers, type SimulationConfig } from './simulate.ts';
import { timeUser } from './timeline.ts';

export const DEFAULT_SEED = 20230430;
export const ZIPF_EXPONENT = 0.9;

export interface DefaultDatasetFiles {
  /** item_id,title,creator,year,genres (genres joined with |) */
  itemsCsv: string;
  /** user_id,item_id,timestamp sorted by user then time */
  interactionsCsv: string;
  /** {"genres": [...], "users": {"<id>": {"cloud": [...], "device": [...]}}} */
  truthJson: string;
}

export function generateDefaultDataset(seed: number, config: SimulationConfig = DEFAULT_SIMULATION): DefaultDatasetFiles {
  const rng = createRng(seed);
  const index = buildCatalogIndex(rng, CATALOG, ZIPF_EXPONENT);
  const users = simulateUsers(rng, index, config);

  const itemsCsv = Papa.unparse(
    {
      fields: ['item_id', 'title', 'creator', 'year', 'genres'],
      data: CATALOG.map((work, i) => [i + 1, work.title, work.creator, work.year, work.genres.map((g) => GENRE_LABELS[g]).join('|')]),
    },
    { newline: '\n' },
  );

  const rows: number[][] = [];
  users.forEach((user, u) => {
    for (const { item, timestamp } of timeUser(rng, user)) rows.push([u + 1, item + 1, timestamp]);
  });
  const interactionsCsv = Papa.unparse({ fields: ['user_id', 'item_id', 'timestamp'], data: rows }, { newline: '\n' });

  // One user per line keeps the file diffable.
  const userLines = users.map(
    (user, u) =>
      `"${u + 1}":{"cloud":${JSON.stringify(roundToUnitSum(user.cloudInterest))},` +
      `"device":${JSON.stringify(roundToUnitSum(user.deviceInterest))}}`,
  );
  const truthJson = `{"genres":${JSON.stringify(GENRES.map((g) => GENRE_LABELS[g]))},"users":{\n` + userLines.join(',\n') + '\n}}\n';

  return { itemsCsv: itemsCsv + '\n', interactionsCsv: interactionsCsv + '\n', truthJson };
}

/** Four decimals whose exact decimal sum is 1 (largest-remainder rounding). */
export function roundToUnitSum(weights: number[]): number[] {
  const scale = 10_000;
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * scale);
  const units = exact.map(Math.floor);
  let missing = scale - units.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - units[i], i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; missing > 0; k++, missing--) units[byRemainder[k][1]]++;
  return units.map((n) => n / scale);
}
