import { describe, expect, it } from 'vitest';
import { measureDataset, totalVariation } from '../../datasets/stats.ts';
import { roundToUnitSum } from '../../datasets/default-dataset.ts';

describe('totalVariation', () => {
  it('normalises both histograms first', () => {
    expect(totalVariation([1, 1], [2, 2])).toBe(0);
    expect(totalVariation([1, 0], [0, 3])).toBe(1);
    // (0.75, 0.25) vs (0.25, 0.75): half of 0.5 + 0.5
    expect(totalVariation([3, 1], [1, 3])).toBeCloseTo(0.5, 12);
    expect(totalVariation([0, 0], [1, 0])).toBe(0);
  });
});

describe('measureDataset', () => {
  // Item 3 has two genres, so it counts half to each.
  const items = ['item_id,title,creator,year,genres', '1,A,X,1900,P', '2,B,Y,1900,Q', '3,"C, the third",X,1900,P|Q', ''].join('\n');
  const interactions = [
    'user_id,item_id,timestamp',
    // user 1: cloud = [1, 1?] no repeats: cloud [1, 3], device [2, 3]... built per user below
    '1,1,10',
    '1,3,20',
    '1,2,30',
    '1,3,40',
    '2,1,10',
    '2,2,20',
    '2,3,30',
    '',
  ].join('\n');

  it('measures sizes, skew and the period shift by hand', () => {
    const stats = measureDataset(items, interactions, 2);
    expect(stats).toMatchObject({ users: 2, items: 3, interactions: 7, minHistory: 3, maxHistory: 4, minItemInteractions: 2 });
    expect(stats.meanHistory).toBe(3.5);
    // top 10% of 3 items = 1 item; item 3 has 3 of 7 interactions
    expect(stats.top10PctShare).toBeCloseTo(3 / 7, 12);
    // P: 1 + 0.5 + 1 + 0.5 + 0.5 = 3.5 ; Q: 0.5 + 1 + 0.5 + 1 + 0.5 = 3.5
    expect(stats.genreCounts).toEqual({ P: 4, Q: 4 });
    // user 1: cloud [1,3] = P 1.5, Q 0.5 -> (0.75, 0.25); device [2,3] = (0.25, 0.75): TV 0.5
    // user 2: cloud [1] = (1, 0); device [2,3] = (0.25, 0.75): TV 0.75
    expect(stats.shift.deviceVsCloud).toBeCloseTo((0.5 + 0.75) / 2, 12);
    // halves of user 1's cloud: [1] vs [3] -> (1,0) vs (0.5,0.5): 0.5 ; user 2's cloud [1] has an empty half: 0
    expect(stats.shift.cloudHalves).toBeCloseTo(0.25, 12);
    // user 1: adjacent pairs (1,3) same creator X; 3 pairs. user 2: (1,2),(2,3) none; 2 pairs.
    expect(stats.sameCreatorNext).toBeCloseTo(1 / 5, 12);
    // user 1 creators X,X,Y,X: 3*2 / (4*3) = 0.5 per pair, 3 pairs -> 1.5; user 2 X,Y,X: 2/6 * 2 = 2/3
    expect(stats.sameCreatorShuffled).toBeCloseTo((1.5 + 2 / 3) / 5, 12);
  });
});

describe('roundToUnitSum', () => {
  it('rounds to four decimals that add up to exactly 1', () => {
    expect(roundToUnitSum([1, 1, 1])).toEqual([0.3334, 0.3333, 0.3333]);
    expect(roundToUnitSum([2, 6])).toEqual([0.25, 0.75]);
    const units = roundToUnitSum([0.123456, 0.654321, 0.222223]).map((w) => Math.round(w * 10_000));
    expect(units.reduce((a, b) => a + b, 0)).toBe(10_000);
  });
});
