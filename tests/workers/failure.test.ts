import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/types';
import { EngineError } from '../../src/engine/types';
import { toFailure, withFailures } from '../../workers/failure';

describe('errors crossing the worker boundary', () => {
  it('keep the typed code and message, not the stack', () => {
    expect(toFailure(new DataError('blocked', 'Close the other tabs.'))).toEqual({
      name: 'DataError',
      code: 'blocked',
      message: 'Close the other tabs.',
    });
    expect(toFailure(new EngineError('cancelled', 'Training was cancelled.'))).toMatchObject({ code: 'cancelled' });
    expect(toFailure(new TypeError('x is undefined'))).toEqual({ name: 'TypeError', code: 'unknown', message: 'x is undefined' });
  });

  it('every API method rejects with a plain value and resolves unchanged', async () => {
    const api = withFailures({
      async ok(n: number) {
        return n + 1;
      },
      async bad() {
        throw new DataError('quota', 'Storage is full.');
      },
    });
    expect(await api.ok(1)).toBe(2);
    const rejected = await api.bad().catch((e: unknown) => e);
    expect(rejected).not.toBeInstanceOf(Error);
    expect(rejected).toEqual({ name: 'DataError', code: 'quota', message: 'Storage is full.' });
  });
});
