// Training throughput alone, for quick A/B runs (no clicks, no browser):
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/train.ts [model ...] [--seconds 3]
// model: duet-sasrec, base-gru4rec, ... (default: the six). Prints one line per model.
import { initBackend } from '../src/engine/backend';
import type { Backbone } from '../src/engine/types';
import type { ModelMethod } from '../src/engine/model';
import { measureTraining } from './workload';

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 3;
const names = args.filter((a, i) => !a.startsWith('--') && (secondsAt < 0 || i !== secondsAt + 1));
const models = names.length > 0 ? names : ['duet-sasrec', 'base-sasrec', 'duet-gru4rec', 'base-gru4rec', 'duet-din', 'base-din'];

await initBackend('wasm');
for (const name of models) {
  const [method, backbone] = name.split('-') as [ModelMethod, Backbone];
  const r = await measureTraining(backbone, method, { warmup: 2, minSteps: 3, minSeconds: seconds });
  console.log(`${name} ${r.samplesPerSecond.toFixed(0)} samples/s (${r.steps} steps, ${r.seconds.toFixed(1)} s)`);
}
