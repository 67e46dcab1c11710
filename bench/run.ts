// `npm run bench [-- --quick] [-- --node-only | --browser-only] [-- --backend <name>]`: the
// same training and click measures in Node and inside a Chromium worker; writes
// bench/results.json and prints a table. --backend webgpu (or webgl): that backend only, in
// Chromium with the flags that give headless Chromium a hardware GPU (bench/gpu.sh).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emptyResults, markdownTable, mergeResults } from './results';
import { runNodeBench } from './node';
import { runChromiumBench } from './chromium';
import type { BackendName } from '../src/engine/types';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const backendAt = args.indexOf('--backend');
const only = backendAt >= 0 ? (args[backendAt + 1] as BackendName | undefined) : undefined;
if (backendAt >= 0 && !['wasm', 'webgpu', 'webgl', 'cpu'].includes(only ?? '')) {
  console.error(`--backend takes one of wasm, webgpu, webgl, cpu (got ${only ?? 'nothing'})`);
  process.exit(2);
}
const gpu = only === 'webgpu' || only === 'webgl';
const results = emptyResults(quick);
const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

// Node has no GPU backend: with --backend webgpu/webgl only Chromium runs
if (!args.includes('--browser-only') && !gpu)
  mergeResults(results, await runNodeBench(quick, log, only === undefined ? undefined : [only]));
if (!args.includes('--node-only')) {
  try {
    const part = await runChromiumBench(quick, log, only === undefined ? undefined : [only], { gpu });
    const nodeCores = results.machine.cores;
    mergeResults(results, part);
    if (nodeCores && !results.machine.cores) results.machine.cores = nodeCores;
  } catch (error) {
    results.machine.notes.push(`chromium part failed: ${error instanceof Error ? error.message : String(error)}`);
    log(`chromium part failed: ${String(error)}`);
  }
}
results.machine.date = new Date().toISOString();
results.machine.quick = quick;

const path = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
console.log(`\n${markdownTable(results)}\n\nwritten to ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
