// Training cost per step in CPU ms of this process: min, 25th percentile and median over
// STEPS steps (default 16, after 3 warm-up steps). On a shared machine the low quantiles move
// least with other load, so A/B pairs compare those:
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/steps.ts <model ...> [--log]
import { initBackend } from '../src/engine/backend';
import { benchStep, openTrainingWorkload, parseModelName, type TrainingData } from './workload';
const args = process.argv.slice(2);
const data: TrainingData = args.includes('--log') ? 'log' : 'synthetic';
const names = args.filter((a) => !a.startsWith('--'));
const N = Number(process.env.STEPS ?? 16);
await initBackend('wasm');
for (const name of names) {
  const { method, backbone } = parseModelName(name);
  const workload = openTrainingWorkload(backbone, method, data, 8);
  const { size, model, optimizer: opt, hosts } = workload;
  const t: number[] = [];
  for (let s = 0; s < N + 3; s++) {
    const c0 = process.cpuUsage();
    const loss = benchStep(model, opt, hosts[s % 8]);
    loss.dataSync(); // waits for the step (wasm and cpu: synchronous anyway)
    loss.dispose();
    const c = process.cpuUsage(c0);
    if (s >= 3) t.push((c.user + c.system) / 1000);
  }
  t.sort((a, b) => a - b);
  const q = (p: number) => t[Math.floor(p * (t.length - 1))];
  console.log(
    `${name}${data === 'log' ? ':log' : ''} CPU ms/step min ${q(0).toFixed(1)} p25 ${q(0.25).toFixed(1)} median ${q(0.5).toFixed(1)}` +
      ` = ${((size.batchSize * 1000) / q(0)).toFixed(0)} samples per CPU second at the min`,
  );
  workload.dispose();
}
