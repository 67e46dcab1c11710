import { describe, expect, it } from 'vitest';
import { meanSd, seedTable } from '../../scripts/seed-table';

describe('seed table', () => {
  it('mean and sample standard deviation', () => {
    const { mean, sd } = meanSd([1, 2, 3, 4]);
    expect(mean).toBe(2.5);
    expect(sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(meanSd([0.7]).sd).toBe(0);
  });

  it('one row per method, a dash where a run lacks a metric', () => {
    const run = (uauc: number, full: number | null) => ({
      backbone: 'sasrec',
      methods: { base: { auc: 0.7, uauc, logloss: 0.4, ndcg10: 0.5, hr5: 0.9, full_hr10: full, full_ndcg10: 0.05 } },
      selected_epoch: { base: 3 },
      train_seconds: 60,
    });
    const table = seedTable([run(0.78, 0.1), run(0.8, null)]).split('\n');
    expect(table).toHaveLength(3);
    expect(table[2]).toContain('| base | 0.7000 ± 0.0000 | 0.7900 ± 0.0141 |');
    expect(table[2]).toContain('| – |');
    expect(table[2]?.endsWith('| 3, 3 |')).toBe(true);
  });
});
