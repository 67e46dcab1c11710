// The Node half of `npm run bench`: the same suite as in the browser, headless, on tfjs-wasm
// (and the pure-JS cpu backend unless --quick). Run via bench/run.ts, or alone:
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/node.ts [--quick]
import { cpus } from 'node:os';
import { initBackend } from '../src/engine/backend';
import type { BackendName } from '../src/engine/types';
import type { BenchResults } from './results';
import { runSuite } from './suite';

export async function runNodeBench(
  quick: boolean,
  log: (line: string) => void = console.log,
  backends: BackendName[] = quick ? ['wasm'] : ['wasm', 'cpu'],
): Promise<Partial<BenchResults>> {
  const part = await runSuite(
    { quick, backends, prefix: 'node-', heapBytes: () => process.memoryUsage().heapUsed },
    (b) => initBackend(b),
    log,
  );
  part.machine = {
    ...part.machine!,
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
  return part;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  console.log(JSON.stringify(await runNodeBench(quick), null, 2));
}
