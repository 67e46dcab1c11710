import { describe, expect, it } from 'vitest';
import { pageSearch, parsePageState, readPageState, unknownItems } from '../../src/ui/state/url-codec';
import { unknownItemsNotice } from '../../src/ui/state/session-helpers';

describe('the page state in the URL', () => {
  it('reads every field of a shared link', () => {
    expect(parsePageState('?dataset=ml-1&backbone=din&backend=webgpu&user=12&clicks=5.9.20&method=finetune&present')).toEqual({
      dataset: 'ml-1',
      backbone: 'din',
      backend: 'webgpu',
      user: 12,
      clicks: [5, 9, 20],
      method: 'finetune',
      present: true,
    });
  });

  it('falls back to defaults for unknown or malformed values, and says which', () => {
    const { state, notices } = readPageState('?backbone=bert&backend=tpu&user=-3&clicks=4.x.0.7&method=magic');
    expect(state).toEqual({
      dataset: '',
      backbone: 'sasrec',
      backend: 'auto',
      user: 'new',
      clicks: [4, 7],
      method: 'duet',
      present: false,
    });
    expect(notices).toHaveLength(5);
    expect(notices.join(' ')).toContain('"bert"');
    expect(notices.join(' ')).toContain('"tpu"');
    expect(notices.join(' ')).toContain('2 of the link');
  });

  it('has nothing to say about a clean link', () => {
    expect(readPageState('?dataset=default&clicks=3.4').notices).toEqual([]);
  });

  it('writes only what differs from the defaults, and reads it back', () => {
    const state = parsePageState('');
    expect(pageSearch(state)).toBe('');
    const shared = { ...state, dataset: 'default', user: 3 as const, clicks: [8, 1] };
    expect(pageSearch(shared)).toBe('?dataset=default&user=3&clicks=8.1');
    expect(parsePageState(pageSearch(shared))).toEqual(shared);
    expect(parsePageState(pageSearch({ ...shared, present: true }))).toEqual({ ...shared, present: true });
  });

  it('finds the clicks a catalog does not hold, and keeps the others in order', () => {
    expect(unknownItems([3, 99999, 2052, 2053], 2053)).toEqual([99999, 2053]);
    expect(unknownItemsNotice([3, 99999, 5], 2053)).toEqual({
      text: "The link's item 99999 is not in this catalog (ids 1 to 2052); left out.",
      kept: [3, 5],
    });
    expect(unknownItemsNotice([3, 5], 2053)).toBeNull();
  });
});
