import { describe, expect, it } from 'vitest';
import { duetSpeedups, emptyResults, markdownTable, mergeResults, percentiles } from '../../bench/results';
import { clickPlan, trainingCases } from '../../bench/suite';
import { logShapedSamples } from '../../bench/synthetic';

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

describe('trainingCases', () => {
  it('trains every backbone x method in a quick run, and the targeted models on log-shaped data too', () => {
    expect(trainingCases('quick').map((c) => c.key)).toEqual([
      'duet-sasrec',
      'base-sasrec',
      'duet-gru4rec',
      'base-gru4rec',
      'duet-din',
      'base-din',
      'duet-sasrec:log',
      'base-sasrec:log',
      'duet-gru4rec:log',
    ]);
    expect(trainingCases('full').filter((c) => c.data === 'log')).toHaveLength(6);
    expect(trainingCases('minimal').map((c) => c.key)).toEqual(['duet-sasrec']);
  });
});

describe('logShapedSamples', () => {
  it('fills every sequence and draws items with a long tail', () => {
    const numItems = 3706;
    const s = logShapedSamples(2000, numItems, 30, 3);
    expect(s.clickSeq.every((item) => item >= 1 && item <= numItems)).toBe(true); // full: no padding zeros
    const counts = new Map<number, number>();
    s.clickSeq.forEach((item) => counts.set(item, (counts.get(item) ?? 0) + 1));
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top100 = sorted.slice(0, 100).reduce((a, b) => a + b, 0);
    // Zipf(1) over 3,706 items: the 100 most popular take ~60% of the clicks (uniform: 2.7%)
    expect(top100 / s.clickSeq.length).toBeGreaterThan(0.5);
    // the trigger sequence is the last 10 clicks
    expect(Array.from(s.triggerSeq.subarray(0, 10))).toEqual(Array.from(s.clickSeq.subarray(20, 30)));
    expect(s.label.filter((l) => l === 1)).toHaveLength(400);
  });
});
