import { describe, expect, it } from 'vitest';
import { pageSearch, parsePageState } from '../../src/ui/state/url-codec';

describe('the page state in the URL', () => {
  it('reads every field of a shared link', () => {
    expect(parsePageState('?dataset=ml-1&backbone=din&backend=webgpu&user=12&clicks=5.9.20&method=finetune')).toEqual({
      dataset: 'ml-1', backbone: 'din', backend: 'webgpu', user: 12, clicks: [5, 9, 20], method: 'finetune',
    });
  });

  it('falls back to defaults for unknown or malformed values', () => {
    expect(parsePageState('?backbone=bert&backend=tpu&user=-3&clicks=4.x.0.7&method=magic')).toEqual({
      dataset: '', backbone: 'sasrec', backend: 'auto', user: 'new', clicks: [4, 7], method: 'duet',
    });
  });

  it('writes only what differs from the defaults, and reads it back', () => {
    const state = parsePageState('');
    expect(pageSearch(state)).toBe('');
    const shared = { ...state, dataset: 'default', user: 3 as const, clicks: [8, 1] };
    expect(pageSearch(shared)).toBe('?dataset=default&user=3&clicks=8.1');
    expect(parsePageState(pageSearch(shared))).toEqual(shared);
  });
});
