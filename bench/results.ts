// bench/results.json: its shape, merging partial runs, and the markdown summary.
// Backend keys: the Chromium worker's backends as the app names them (wasm, webgpu, webgl,
// cpu); Node runs are prefixed (node-wasm, node-cpu).

export interface Percentiles {
  p50: number;
  p95: number;
  /** How many timed clicks the percentiles are over. */
  n?: number;
}

/** Memory after training one backend's models (bytes; a figure the runtime lacks is absent). */
export interface MemoryFigures {
  /** tf.memory().numBytes right after training, model and Adam state still alive (largest model). */
  tf_bytes_after_training: number;
  /** tf.memory().numBytes once every model is disposed: non-zero means a leak or a backend pool. */
  tf_bytes_after_dispose: number;
  tf_tensors_after_dispose: number;
  /** JS heap of the thread that trained (the Chromium worker's performance.memory, Node's heapUsed). */
  heap_bytes?: number;
  /** The bench page's JS heap (Chromium: CDP Runtime.getHeapUsage on the page). */
  page_heap_bytes?: number;
}

export interface BenchResults {
  train_samples_per_s: Record<string, Record<string, number>>;
  /**
   * Chromium: from the page posting a click to the worker until the top-10 arrives back,
   * timed on the page around the Comlink call. Node: the same per-click work, in process.
   */
  click_ms: Record<string, Record<string, Percentiles>>;
  /** Chromium only: the same clicks timed inside the worker (no messaging). */
  click_ms_in_worker: Record<string, Record<string, Percentiles>>;
  /** Fine-tune k=5 latency over DUET latency, per percentile (the target is >= 50). */
  duet_speedup_vs_finetune_k5: Record<string, { p50: number; p95: number }>;
  memory: Record<string, MemoryFigures>;
  machine: {
    cores: number;
    user_agent?: string;
    node?: string;
    platform?: string;
    date: string;
    quick: boolean;
    notes: string[];
  };
}

export function emptyResults(quick: boolean): BenchResults {
  return {
    train_samples_per_s: {},
    click_ms: {},
    click_ms_in_worker: {},
    duet_speedup_vs_finetune_k5: {},
    memory: {},
    machine: { cores: 0, date: new Date().toISOString(), quick, notes: [] },
  };
}

/** Nearest-rank percentiles (p95 of 200 samples is the 190th smallest). */
export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => {
    if (sorted.length === 0) return Number.NaN;
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[index];
  };
  return { p50: at(0.5), p95: at(0.95), n: sorted.length };
}

/** Fine-tune k=5 over DUET per percentile, for each backend that has both. */
export function duetSpeedups(clickMs: BenchResults['click_ms']): BenchResults['duet_speedup_vs_finetune_k5'] {
  const out: BenchResults['duet_speedup_vs_finetune_k5'] = {};
  for (const [backend, kinds] of Object.entries(clickMs)) {
    const duet = kinds.duet;
    const finetune = kinds.finetune_k5;
    if (duet && finetune) out[backend] = { p50: finetune.p50 / duet.p50, p95: finetune.p95 / duet.p95 };
  }
  return out;
}

function mergeNested<T>(into: Record<string, Record<string, T>>, part: Record<string, Record<string, T>> | undefined): void {
  for (const [backend, values] of Object.entries(part ?? {})) into[backend] = { ...into[backend], ...values };
}

/** Adds `part` into `into` (later values win) and recomputes the derived speedups. */
export function mergeResults(into: BenchResults, part: Partial<BenchResults>): BenchResults {
  mergeNested(into.train_samples_per_s, part.train_samples_per_s);
  mergeNested(into.click_ms, part.click_ms);
  mergeNested(into.click_ms_in_worker, part.click_ms_in_worker);
  Object.assign(into.memory, part.memory ?? {});
  into.duet_speedup_vs_finetune_k5 = duetSpeedups(into.click_ms);
  if (part.machine) {
    const notes = [...into.machine.notes, ...part.machine.notes];
    into.machine = { ...into.machine, ...part.machine, notes };
  }
  return into;
}

function round(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : (bytes / 2 ** 20).toFixed(1);
}

function clickTable(title: string, table: Record<string, Record<string, Percentiles>>): string[] {
  const backends = Object.keys(table);
  const kinds = [...new Set(backends.flatMap((b) => Object.keys(table[b])))];
  if (kinds.length === 0) return [];
  const lines = [`| ${title} | ` + kinds.join(' | ') + ' |', '|---|' + kinds.map(() => '---:|').join('')];
  for (const b of backends) {
    const cells = kinds.map((k) => {
      const p = table[b][k];
      return p ? `${round(p.p50)} / ${round(p.p95)}${p.n === undefined ? '' : ` (n=${p.n})`}` : 'n/a';
    });
    lines.push(`| ${b} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  return lines;
}

export function markdownTable(results: BenchResults): string {
  const lines: string[] = [];
  const backends = Object.keys(results.train_samples_per_s);
  const models = [...new Set(backends.flatMap((b) => Object.keys(results.train_samples_per_s[b])))];
  if (models.length > 0) {
    lines.push('| training samples/s | ' + models.join(' | ') + ' |', '|---|' + models.map(() => '---:|').join(''));
    for (const b of backends) {
      lines.push(`| ${b} | ` + models.map((m) => round(results.train_samples_per_s[b][m] ?? Number.NaN)).join(' | ') + ' |');
    }
    lines.push('');
  }
  lines.push(...clickTable('click ms p50 / p95 (Chromium: page round trip; node-*: in process)', results.click_ms));
  lines.push(...clickTable('click ms, inside the worker (p50 / p95)', results.click_ms_in_worker));
  const speedups = Object.entries(results.duet_speedup_vs_finetune_k5);
  if (speedups.length > 0) {
    lines.push('| DUET adaptation vs fine-tune k=5 (x faster) | p50 | p95 |', '|---|---:|---:|');
    for (const [b, s] of speedups) lines.push(`| ${b} | ${round(s.p50)} | ${round(s.p95)} |`);
    lines.push('');
  }
  const memory = Object.entries(results.memory);
  if (memory.length > 0) {
    lines.push('| memory MiB | tf after training | tf after dispose (tensors) | heap | page heap |', '|---|---:|---:|---:|---:|');
    for (const [b, m] of memory) {
      lines.push(
        `| ${b} | ${mib(m.tf_bytes_after_training)} | ${mib(m.tf_bytes_after_dispose)} (${m.tf_tensors_after_dispose}) | ${mib(m.heap_bytes)} | ${mib(m.page_heap_bytes)} |`,
      );
    }
    lines.push('');
  }
  const m = results.machine;
  lines.push(`machine: ${m.cores} cores; ${m.user_agent ?? ''} ${m.node ? `node ${m.node}` : ''}; ${m.date}${m.quick ? ' (quick)' : ''}`);
  for (const note of m.notes) lines.push(`- ${note}`);
  return lines.join('\n');
}
