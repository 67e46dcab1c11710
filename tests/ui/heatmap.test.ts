import { describe, expect, it } from 'vitest';
import { difference, largestMagnitude, splitLayer } from '../../src/ui/inside/heatmap';
import { shownError } from '../../src/ui/errors';

describe('a generated layer as the heatmap reads it', () => {
  // [2 x 3] weights row-major, then 3 biases
  const flat = Float32Array.from([1, 2, 3, 4, 5, 6, 0.1, 0.2, 0.3]);
  it('splits weights from biases', () => {
    const { weights, bias } = splitLayer(flat, 2, 3);
    expect(Array.from(weights)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(bias)).toEqual([0.1, 0.2, 0.3].map(Math.fround));
  });
  it('shows the change since the last click, or zeros without one', () => {
    expect(Array.from(difference(Float32Array.from([3, 1]), Float32Array.from([1, 4])))).toEqual([2, -3]);
    expect(Array.from(difference(Float32Array.from([3, 1]), undefined))).toEqual([0, 0]);
  });
  it('scales colours to the largest magnitude of the shown values, either sign', () => {
    expect(largestMagnitude(Float32Array.from([1, -5, 2, 9]), 3)).toBe(5);
    expect(largestMagnitude(new Float32Array(4), 4)).toBe(0);
  });
});

describe('errors as the page shows them', () => {
  it('keeps the code and the sentence, drops a stack', () => {
    const e = shownError({ name: 'DataError', code: 'quota', message: 'No space left.\n    at save (store.ts:1:2)' });
    expect(e).toEqual({ code: 'quota', message: 'No space left.' });
  });
  it('turns anything else into a sentence', () => {
    expect(shownError('boom')).toEqual({ code: 'unknown', message: 'boom' });
    expect(shownError(undefined).message).toBe('Something went wrong.');
  });
});
