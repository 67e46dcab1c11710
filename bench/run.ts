// `npm run bench [-- --quick] [-- --node-only | --browser-only]`: the same training and click
// measures in Node and inside a Chromium worker; writes bench/results.json and prints a table.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emptyResults, markdownTable, mergeResults } from './results';
import { runNodeBench } from './node';
import { runChromiumBench } from './chromium';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const results = emptyResults(quick);
const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

if (!args.includes('--browser-only')) mergeResults(results, await runNodeBench(quick, log));
if (!args.includes('--node-only')) {
  try {
    const part = await runChromiumBench(quick, log);
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
