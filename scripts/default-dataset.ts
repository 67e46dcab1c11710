// The embedded default dataset read from disk, for the Node command-line tools.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDefaultDataset } from '../src/data/formats/defaultDataset';
import type { Dataset } from '../src/data/types';

export async function readDefaultDataset(dir = join('datasets', 'default')): Promise<Dataset> {
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  return buildDefaultDataset({
    itemsCsv: await read('items.csv'),
    interactionsCsv: await read('interactions.csv'),
    truthJson: await read('truth.json'),
  });
}
