// The device session: ranks the catalog for the methods asked, each timed from the moment
// its model is at hand to its list being ready. The page asks once per method, DUET first:
// the worker answers calls in order, so DUET's list never waits for Fine-tune's steps.
import * as Comlink from 'comlink';
import { finetuneAndRank } from '../src/engine/orchestrate';
import { adaptAndRank, rankCatalog } from '../src/engine/session';
import type { Backbone } from '../src/engine/types';
import type { SessionRanking } from './api';
import { loadModel } from './models';

/** Fine-tuning's negatives are sampled: a fixed seed makes a session link reproducible. */
const finetuneSeed = 42;

export async function rankSession(
  datasetId: string,
  backbone: Backbone,
  deviceSequence: Int32Array,
  methods: SessionRanking['method'][],
  options: { k: number; finetuneSteps: number; exclude?: Int32Array },
): Promise<SessionRanking[]> {
  const base = methods.some((m) => m !== 'duet') ? await loadModel(datasetId, backbone, 'base') : undefined;
  const duet = methods.includes('duet') ? await loadModel(datasetId, backbone, 'duet') : undefined;
  const out: SessionRanking[] = [];
  const transfers: ArrayBuffer[] = [];
  for (const method of methods) {
    const started = performance.now();
    if (method === 'base') {
      const top = await rankCatalog(base!, deviceSequence, options.k, options.exclude);
      out.push({ method, top, computeMs: performance.now() - started });
    } else if (method === 'finetune') {
      const top = await finetuneAndRank(base!, deviceSequence, {
        steps: options.finetuneSteps,
        seed: finetuneSeed,
        k: options.k,
        exclude: options.exclude,
      });
      out.push({ method, top, computeMs: performance.now() - started });
    } else {
      const { top, parameters: generated } = await adaptAndRank(duet!, deviceSequence, options.k, options.exclude);
      const parameters = { ...generated, layer1: generated.layer1.slice(), layer2: generated.layer2.slice() };
      transfers.push(parameters.layer1.buffer, parameters.layer2.buffer);
      out.push({ method, top, computeMs: performance.now() - started, parameters });
    }
  }
  return Comlink.transfer(out, transfers);
}
