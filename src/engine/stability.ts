// How much the generated parameters move from one device click to the next (SWA exists to damp
// this oscillation: docs/method.md#the-stable-weight-adapter-swa). Reported as the mean relative change
// ||theta_t - theta_{t-1}|| / ||theta_{t-1}|| over consecutive device-period clicks.
import type { Dataset } from '../data/types';
import { generateClassifier } from './session';
import type { RecModel } from './model';

function flatten(p: { layer1: Float32Array; layer2: Float32Array }): Float32Array {
  const out = new Float32Array(p.layer1.length + p.layer2.length);
  out.set(p.layer1);
  out.set(p.layer2, p.layer1.length);
  return out;
}

/** Mean relative change per click over the device periods of the first `users` users; NaN without histories. */
export async function generatedWeightChange(model: RecModel, dataset: Dataset, users = 50): Promise<number> {
  const h = dataset.histories;
  if (!h) return Number.NaN;
  let sum = 0;
  let count = 0;
  for (let u = 0; u < Math.min(users, h.devicePeriodStart.length); u++) {
    const start = h.offsets[u];
    let previous: Float32Array | undefined;
    for (let end = h.devicePeriodStart[u] + 1; end <= h.offsets[u + 1]; end++) {
      const current = flatten(await generateClassifier(model, h.items.subarray(start, end)));
      if (previous) {
        let diff = 0;
        let norm = 0;
        for (let i = 0; i < current.length; i++) {
          diff += (current[i] - previous[i]) ** 2;
          norm += previous[i] ** 2;
        }
        sum += Math.sqrt(diff / Math.max(norm, 1e-12));
        count++;
      }
      previous = current;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}
