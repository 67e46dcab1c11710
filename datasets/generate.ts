// `npm run dataset [-- --seed N] [--out DIR]`: writes the default dataset and prints its statistics.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, generateDefaultDataset } from './default-dataset.ts';
import { formatStats, measureDataset } from './stats.ts';

export { DEFAULT_SEED, generateDefaultDataset } from './default-dataset.ts';
export type { DefaultDatasetFiles } from './default-dataset.ts';

export const DEFAULT_OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'default');

export class DatasetArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetArgumentError';
  }
}

export interface GenerateArgs {
  seed: number;
  outDir: string;
}

export function parseArgs(argv: string[]): GenerateArgs {
  const args: GenerateArgs = { seed: DEFAULT_SEED, outDir: DEFAULT_OUT_DIR };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag !== '--seed' && flag !== '--out') {
      throw new DatasetArgumentError(`Unknown option "${argv[i]}". Usage: npm run dataset -- [--seed N] [--out DIR]`);
    }
    const value = inline ?? argv[++i];
    if (flag === '--seed') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 0xffffffff) {
        throw new DatasetArgumentError(`--seed needs a whole number between 0 and 4294967295, got "${value ?? ''}".`);
      }
      args.seed = Number(value);
    } else {
      if (!value) throw new DatasetArgumentError('--out needs a folder.');
      args.outDir = resolve(value);
    }
  }
  return args;
}

function main(): void {
  const { seed, outDir } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const files = generateDefaultDataset(seed);
  const elapsed = performance.now() - started;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'items.csv'), files.itemsCsv);
  writeFileSync(join(outDir, 'interactions.csv'), files.interactionsCsv);
  writeFileSync(join(outDir, 'truth.json'), files.truthJson);
  console.log(`Default dataset, seed ${seed}, generated in ${(elapsed / 1000).toFixed(2)} s, written to ${outDir}\n`);
  console.log(formatStats(measureDataset(files.itemsCsv, files.interactionsCsv)));
  if (seed !== DEFAULT_SEED && outDir === DEFAULT_OUT_DIR) {
    console.warn(`\nNote: datasets/default/ now holds seed ${seed}; tests expect seed ${DEFAULT_SEED}.`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof DatasetArgumentError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}
