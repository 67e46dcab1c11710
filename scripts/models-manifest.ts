// Writes public/models/manifest.json: what each shipped model file is, so the app lists
// shipped models from one small file instead of fetching every model it might have.
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs scripts/models-manifest.ts [public/models]
// File names are `<datasetId>-<backbone>-<method>.duetmodel` (the CLI's --save-model output, renamed).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModelFile } from '../src/engine/serialize';

export interface ShippedModel {
  file: string;
  datasetId: string;
  backbone: string;
  method: string;
  numItems: number;
  seqLen: number;
  epochsDone: number;
  bestValidUauc: number;
  trainedWith: { backend: string; where: string; date: string };
}

export async function buildManifest(dir: string): Promise<{ models: ShippedModel[] }> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.duetmodel')).sort();
  const models: ShippedModel[] = [];
  for (const file of files) {
    const bytes = await readFile(join(dir, file));
    const m = decodeModelFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const datasetId = file.slice(0, file.length - `-${m.model.backbone}-${m.method}.duetmodel`.length);
    if (`${datasetId}-${m.model.backbone}-${m.method}.duetmodel` !== file) {
      throw new Error(`${file}: the name must be <datasetId>-${m.model.backbone}-${m.method}.duetmodel`);
    }
    models.push({
      file,
      datasetId,
      backbone: m.model.backbone,
      method: m.method,
      numItems: m.model.numItems,
      seqLen: m.model.seqLen,
      epochsDone: m.epochsDone,
      bestValidUauc: m.bestValidUauc,
      trainedWith: m.trainedWith,
    });
  }
  return { models };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? join('public', 'models');
  const manifest = await buildManifest(dir);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${join(dir, 'manifest.json')} (${manifest.models.length} models)`);
}
