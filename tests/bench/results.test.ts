import { describe, expect, it } from 'vitest';
import { duetSpeedups, emptyResults, markdownTable, mergeResults, percentiles } from '../../bench/results';
import { clickPlan } from '../../bench/suite';

describe('percentiles', () => {
  it('takes nearest ranks: p95 of 1..200 is the 190th value', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // unsorted input
    expect(percentiles(samples)).toEqual({ p50: 100, p95: 190, n: 200 });
  });

  it('is NaN with no samples', () => {
    const p = percentiles([]);
    expect(p.p50).toBeNaN();
    expect(p.n).toBe(0);
  });
});

describe('duetSpeedups', () => {
  it('divides fine-tune k=5 by DUET per percentile and skips backends lacking either', () => {
    const speedups = duetSpeedups({
      wasm: { duet: { p50: 2, p95: 4 }, finetune_k5: { p50: 100, p95: 120 } },
      webgpu: { duet: { p50: 2, p95: 4 } },
    });
    expect(speedups).toEqual({ wasm: { p50: 50, p95: 30 } });
  });
});

describe('mergeResults', () => {
  it('merges per-backend parts, recomputes speedups and prints them', () => {
    const results = emptyResults(true);
    mergeResults(results, { click_ms: { wasm: { duet: { p50: 4, p95: 8, n: 200 } } } });
    mergeResults(results, {
      click_ms: { wasm: { finetune_k5: { p50: 200, p95: 400, n: 200 } } },
      memory: { wasm: { tf_bytes_after_training: 2 ** 21, tf_bytes_after_dispose: 0, tf_tensors_after_dispose: 0 } },
    });
    expect(Object.keys(results.click_ms.wasm)).toEqual(['duet', 'finetune_k5']);
    expect(results.duet_speedup_vs_finetune_k5.wasm).toEqual({ p50: 50, p95: 50 });
    const table = markdownTable(results);
    expect(table).toContain('| wasm | 50.0 | 50.0 |');
    expect(table).toContain('| wasm | 2.0 | 0.0 (0) | n/a | n/a |');
    expect(table).toContain('4.00 / 8.00 (n=200)');
  });
});

describe('clickPlan', () => {
  it("asks for the issue's 200 clicks in a full run, fewer at k=20", () => {
    expect(clickPlan('full').map((p) => [p.kind, p.clicks])).toEqual([
      [{ kind: 'duet' }, 200],
      [{ kind: 'finetune', steps: 1 }, 200],
      [{ kind: 'finetune', steps: 5 }, 200],
      [{ kind: 'finetune', steps: 20 }, 50],
    ]);
  });

  it('drops fine-tune kinds with no clicks on a software GPU', () => {
    expect(clickPlan('minimal').map((p) => p.kind)).toEqual([{ kind: 'duet' }, { kind: 'finetune', steps: 1 }]);
  });
});
