// Training throughput alone, for quick A/B runs (no clicks, no browser):
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/train.ts [model ...] [--seconds 3] [--log]
// model: duet-sasrec, base-gru4rec, ... (default: the six); --log: the log-shaped data. Prints
// samples/s per wall second and per CPU second of this process (steadier on a shared machine).
import { initBackend } from '../src/engine/backend';
import { measureTraining, parseModelName } from './workload';

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 3;
const data = args.includes('--log') ? 'log' : 'synthetic';
const names = args.filter((a, i) => !a.startsWith('--') && (secondsAt < 0 || i !== secondsAt + 1));
const models = names.length > 0 ? names : ['duet-sasrec', 'base-sasrec', 'duet-gru4rec', 'base-gru4rec', 'duet-din', 'base-din'];

await initBackend('wasm');
for (const name of models) {
  const { method, backbone } = parseModelName(name);
  const r = await measureTraining(backbone, method, { data, warmup: 2, minSteps: 3, minSeconds: seconds });
  const perCpuSecond = r.cpuSeconds ? ` = ${((r.steps * 256) / r.cpuSeconds).toFixed(0)} per CPU second` : '';
  console.log(
    `${name}${data === 'log' ? ':log' : ''} ${r.samplesPerSecond.toFixed(0)} samples/s${perCpuSecond} (${r.steps} steps, ${r.seconds.toFixed(1)} s)`,
  );
}
