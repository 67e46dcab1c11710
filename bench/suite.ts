// The benchmark suite, run unchanged in Node (bench/node.ts) and in the Chromium worker
// (bench/browser/bench.worker.ts): per backend, training throughput per model and click latency.
import type { Backbone, BackendName } from '../src/engine/types';
import type { ActiveBackend } from '../src/engine/backend';
import type { ModelMethod } from '../src/engine/model';
import { measureClicks, measureTraining } from './workload';
import type { BenchResults, Percentiles } from './results';

export interface SuiteOptions {
  quick: boolean;
  backends: BackendName[];
  /** Prefix of the backend keys in results.json ('node-' in Node, '' in the browser). */
  prefix: string;
}

interface ModelCase {
  key: string;
  backbone: Backbone;
  method: ModelMethod;
}

const quickModels: ModelCase[] = [
  { key: 'duet-sasrec', backbone: 'sasrec', method: 'duet' },
  { key: 'base-sasrec', backbone: 'sasrec', method: 'base' },
  { key: 'base-gru4rec', backbone: 'gru4rec', method: 'base' },
];
const fullModels: ModelCase[] = [
  ...quickModels,
  { key: 'duet-gru4rec', backbone: 'gru4rec', method: 'duet' },
  { key: 'base-din', backbone: 'din', method: 'base' },
  { key: 'duet-din', backbone: 'din', method: 'duet' },
];

export async function runSuite(
  options: SuiteOptions,
  init: (backend: BackendName) => Promise<ActiveBackend>,
  log: (line: string) => void,
): Promise<Partial<BenchResults>> {
  const out: Partial<BenchResults> = { train_samples_per_s: {}, click_ms: {}, machine: { cores: 0, date: '', quick: options.quick, notes: [] } };
  const notes = out.machine!.notes;
  for (const backend of options.backends) {
    let active: ActiveBackend;
    try {
      active = await init(backend);
    } catch (error) {
      notes.push(`${options.prefix}${backend}: not available (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const key = `${options.prefix}${backend}`;
    // A software GPU (SwiftShader) takes seconds per step: one model, one step, k = 1 only.
    // The pure-JS cpu backend (PERF.md item 7) is slow too: the quick set, short runs.
    const budget = active.software ? 'minimal' : options.quick || backend === 'cpu' ? 'reduced' : 'full';
    if (active.software) notes.push(`${key}: software adapter (SwiftShader/fallback), not a real GPU; minimal run`);
    const models = budget === 'full' ? fullModels : budget === 'reduced' ? quickModels : quickModels.slice(0, 1);
    const train: Record<string, number> = {};
    for (const m of models) {
      const r = await measureTraining(m.backbone, m.method, {
        warmup: budget === 'full' ? 3 : 1,
        minSteps: budget === 'full' ? 5 : budget === 'reduced' ? 2 : 1,
        minSeconds: budget === 'full' ? 5 : budget === 'reduced' ? 1 : 0,
      });
      train[m.key] = r.samplesPerSecond;
      log(`${key} train ${m.key}: ${r.samplesPerSecond.toFixed(0)} samples/s (${r.steps} steps, ${r.seconds.toFixed(1)} s)`);
    }
    out.train_samples_per_s![key] = train;
    const finetuneSteps = budget === 'minimal' ? [1] : [1, 5, 20];
    const clicks = await measureClicks('sasrec', { clicks: budget === 'full' ? 30 : budget === 'reduced' ? 6 : 3, finetuneSteps });
    const clickMs: Record<string, Percentiles> = { duet: clicks.duet };
    for (const k of finetuneSteps) clickMs[`finetune_k${k}`] = clicks.finetune[k];
    out.click_ms![key] = clickMs;
    log(`${key} click: ` + Object.entries(clickMs).map(([kind, p]) => `${kind} p50 ${p.p50.toFixed(1)} ms`).join(', '));
  }
  return out;
}
