// Where a training step's time goes by phase (Node, tfjs-wasm): forward, forward + gradients,
// and the whole step (+ Adam), with kernel launches per phase:
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs bench/phases.ts [model ...] [--log]
// Medians of CPU ms over interleaved repetitions (steadier than wall time on a shared machine).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/backend';
import { disposeBatch, toBatch } from '../src/engine/batch';
import { forwardLogits, trainableVariables } from '../src/engine/model';
import { sigmoidCrossEntropy } from '../src/engine/layers';
import { trainStep } from '../src/engine/step';
import { openTrainingWorkload, parseModelName } from './workload';

const args = process.argv.slice(2);
const data = args.includes('--log') ? 'log' : 'synthetic';
const names = args.filter((a) => !a.startsWith('--'));
const models = names.length > 0 ? names : ['duet-sasrec', 'base-sasrec', 'duet-gru4rec'];
const reps = Number(process.env.PHASE_REPS ?? 7);

await initBackend('wasm');
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const name of models) {
  const { method, backbone } = parseModelName(name);
  const workload = openTrainingWorkload(backbone, method, data, 4);
  const { model, optimizer, hosts } = workload;
  const vars = trainableVariables(model);
  const phases = {
    forward: (batch: ReturnType<typeof toBatch>) => tf.tidy(() => sigmoidCrossEntropy(batch.label, forwardLogits(model, batch))),
    grads: (batch: ReturnType<typeof toBatch>) =>
      tf.tidy(() => tf.variableGrads(() => sigmoidCrossEntropy(batch.label, forwardLogits(model, batch)), vars).value),
    step: (batch: ReturnType<typeof toBatch>) => trainStep(model, optimizer, batch),
  };
  const times: Record<string, number[]> = { forward: [], grads: [], step: [] };
  const launches: Record<string, number> = {};
  for (let r = -1; r < reps; r++) {
    for (const [phase, run] of Object.entries(phases)) {
      const batch = toBatch(hosts[(r + 1) % hosts.length]);
      const t0 = cpuMs();
      const loss = run(batch);
      await loss.data();
      const t = cpuMs() - t0;
      loss.dispose();
      if (r === 0) {
        const info = await tf.profile(() => {
          const l = run(batch);
          return l;
        });
        launches[phase] = info.kernels.length;
        (info.result as tf.Tensor).dispose();
      }
      disposeBatch(batch);
      if (r >= 0) times[phase].push(t);
    }
  }
  const f = median(times.forward);
  const g = median(times.grads);
  const s = median(times.step);
  console.log(
    `${name}${data === 'log' ? ':log' : ''}: CPU ms (median of ${reps}) forward ${f.toFixed(1)}, backward ${(g - f).toFixed(1)}, Adam ${(s - g).toFixed(1)}, step ${s.toFixed(1)}; ` +
      `launches forward ${launches.forward}, backward ${launches.grads - launches.forward}, Adam ${launches.step - launches.grads}`,
  );
  workload.dispose();
}
