import { describe, expect, it } from 'vitest';
import { joinBulk, splitBulk } from '../../src/data/bulk';

describe('bulk parts', () => {
  const value = {
    name: 'x',
    set: { user: Int32Array.from([1, 2, 3, 4, 5]), label: Float32Array.from([1, 0, 0.5]) },
    list: [{ ids: Int32Array.from([7]) }, 'plain'],
    empty: new Int32Array(0),
  };

  it('replaces typed arrays by references and cuts them into parts of at most partBytes', () => {
    const { shell, parts } = splitBulk(value, 8);
    expect(shell).toEqual({
      name: 'x',
      set: {
        user: { $bulk: 'set.user', type: 'Int32Array', length: 5, parts: 3 },
        label: { $bulk: 'set.label', type: 'Float32Array', length: 3, parts: 2 },
      },
      list: [{ ids: { $bulk: 'list.0.ids', type: 'Int32Array', length: 1, parts: 1 } }, 'plain'],
      empty: { $bulk: 'empty', type: 'Int32Array', length: 0, parts: 0 },
    });
    const all = [...parts()];
    expect(all.map((p) => [p.path, p.part, Array.from(p.data)])).toEqual([
      ['set.user', 0, [1, 2]],
      ['set.user', 1, [3, 4]],
      ['set.user', 2, [5]],
      ['set.label', 0, [1, 0]],
      ['set.label', 1, [0.5]],
      ['list.0.ids', 0, [7]],
    ]);
    // Each part owns its buffer, so storing it does not copy the whole array.
    expect(all[0].data.buffer.byteLength).toBe(8);
  });

  it('joins parts back in any order', () => {
    const { shell, parts } = splitBulk(value, 8);
    const back = joinBulk(shell, [...parts()].reverse());
    expect(back).toEqual(value);
    expect((back as typeof value).set.label).toBeInstanceOf(Float32Array);
  });

  it('refuses to rebuild from missing parts', () => {
    const { shell, parts } = splitBulk(value, 8);
    expect(() => joinBulk(shell, [...parts()].slice(1))).toThrow(/set.user has 2 of 3 parts/);
  });

  it('stores an object or array met twice once, and shares it again on load', () => {
    const histories = { items: Int32Array.from([1, 2, 3]), ids: ['a', 'b'] };
    const shared = {
      train: { kind: 'drawn', histories },
      test: { histories, position: Int32Array.from([0]) },
      histories,
      again: histories.items,
    };
    const { shell, parts } = splitBulk(shared, 8);
    expect((shell as { histories: unknown }).histories).toEqual({ $same: 'train.histories' });
    expect([...parts()].filter((p) => p.path === 'train.histories.items')).toHaveLength(2);
    expect([...parts()].some((p) => p.path.startsWith('histories') || p.path === 'again')).toBe(false);
    const back = joinBulk(shell, [...parts()]) as typeof shared;
    expect(back).toEqual(shared);
    expect(back.test.histories).toBe(back.train.histories);
    expect(back.histories).toBe(back.train.histories);
    expect(back.again).toBe(back.histories.items);
  });
});
