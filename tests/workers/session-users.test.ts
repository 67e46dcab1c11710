import { describe, expect, it } from 'vitest';
import type { Dataset, SampleSet } from '../../src/data/types';
import { sessionUsers } from '../../workers/session-users';

function samples(rows: { user: number; label: number; click: number[]; trigger: number[] }[], L: number): SampleSet {
  const pad = (s: number[]) => [...s, ...new Array(L - s.length).fill(0)];
  return {
    count: rows.length,
    seqLen: L,
    user: Int32Array.from(rows.map((r) => r.user)),
    target: new Int32Array(rows.length),
    clickSeq: Int32Array.from(rows.flatMap((r) => pad(r.click))),
    triggerSeq: Int32Array.from(rows.flatMap((r) => pad(r.trigger))),
    label: Float32Array.from(rows.map((r) => r.label)),
  };
}

const base = { options: { seqLen: 3 } } as unknown as Dataset;

describe('test users for the device session', () => {
  it('read from histories: the last seqLen cloud items, then the device clicks', () => {
    const d = {
      ...base,
      histories: {
        // user 0: 1 2 3 4 | 5 6   user 1: 7 | (no device period)   user 2: 8 9 | 10
        offsets: Int32Array.from([0, 6, 7, 10]),
        items: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        devicePeriodStart: Int32Array.from([4, 7, 9]),
        sourceIds: ['u-a', 'u-b', 'u-c'],
      },
    } as Dataset;
    const users = sessionUsers(d, 10);
    expect(users.map((u) => u.sourceId)).toEqual(['u-a', 'u-c']);
    expect(Array.from(users[0].history)).toEqual([2, 3, 4]);
    expect(Array.from(users[0].deviceClicks)).toEqual([5, 6]);
    expect(Array.from(users[1].history)).toEqual([8, 9]);
    expect(sessionUsers(d, 1)).toHaveLength(1);
  });

  it('read from test samples when the format has no histories (DUET text)', () => {
    const d = {
      ...base,
      test: samples(
        [
          { user: 4, label: 0, click: [9], trigger: [9] },
          { user: 4, label: 1, click: [1, 2], trigger: [2] },
          { user: 4, label: 1, click: [1, 2, 3], trigger: [2, 3] },
          { user: 6, label: 1, click: [5], trigger: [] },
        ],
        3,
      ),
    } as Dataset;
    const users = sessionUsers(d, 10);
    expect(users.map((u) => u.index)).toEqual([4, 6]);
    expect(Array.from(users[0].history)).toEqual([1, 2]);
    expect(Array.from(users[0].deviceClicks)).toEqual([2]);
  });
});
