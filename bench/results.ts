// bench/results.json: its shape, merging partial runs, and the markdown summary.
// Backend keys: the Chromium worker's backends as the app names them (wasm, webgpu, webgl,
// cpu); Node runs are prefixed (node-wasm, node-cpu).

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface BenchResults {
  train_samples_per_s: Record<string, Record<string, number>>;
  click_ms: Record<string, Record<string, Percentiles>>;
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
  return { train_samples_per_s: {}, click_ms: {}, machine: { cores: 0, date: new Date().toISOString(), quick, notes: [] } };
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => {
    if (sorted.length === 0) return Number.NaN;
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[index];
  };
  return { p50: at(0.5), p95: at(0.95) };
}

/** Adds `part` into `into` (later values win). */
export function mergeResults(into: BenchResults, part: Partial<BenchResults>): BenchResults {
  for (const [backend, models] of Object.entries(part.train_samples_per_s ?? {})) {
    into.train_samples_per_s[backend] = { ...into.train_samples_per_s[backend], ...models };
  }
  for (const [backend, clicks] of Object.entries(part.click_ms ?? {})) {
    into.click_ms[backend] = { ...into.click_ms[backend], ...clicks };
  }
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
  const clickBackends = Object.keys(results.click_ms);
  const kinds = [...new Set(clickBackends.flatMap((b) => Object.keys(results.click_ms[b])))];
  if (kinds.length > 0) {
    lines.push('| click ms (p50 / p95) | ' + kinds.join(' | ') + ' |', '|---|' + kinds.map(() => '---:|').join(''));
    for (const b of clickBackends) {
      const cells = kinds.map((k) => {
        const p = results.click_ms[b][k];
        return p ? `${round(p.p50)} / ${round(p.p95)}` : 'n/a';
      });
      lines.push(`| ${b} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  const m = results.machine;
  lines.push(`machine: ${m.cores} cores; ${m.user_agent ?? ''} ${m.node ? `node ${m.node}` : ''}; ${m.date}${m.quick ? ' (quick)' : ''}`);
  for (const note of m.notes) lines.push(`- ${note}`);
  return lines.join('\n');
}
