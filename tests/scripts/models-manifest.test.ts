// The shipped models' manifest describes exactly the files in public/models (regenerate with
// scripts/models-manifest.ts after adding or retraining a shipped model).
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { buildManifest } from '../../scripts/models-manifest';

it('public/models/manifest.json matches the shipped model files', async () => {
  const stored = JSON.parse(await readFile('public/models/manifest.json', 'utf8')) as unknown;
  const built = await buildManifest('public/models');
  expect(built.models.length).toBeGreaterThan(0);
  expect(stored).toEqual(built);
});
