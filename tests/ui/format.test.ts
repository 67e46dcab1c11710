import { describe, expect, it } from 'vitest';
import { timeLeft } from '../../src/ui/common/format';

describe('timeLeft', () => {
  it('says seconds under a minute and minutes with seconds above', () => {
    expect(timeLeft(40.2)).toBe('40 s left');
    expect(timeLeft(65)).toBe('1 min 5 s left');
    expect(timeLeft(125.4)).toBe('2 min 5 s left');
  });

  it('never shows "60 s": 59.6 s rounds up to the next minute', () => {
    expect(timeLeft(59.6)).toBe('1 min 0 s left');
  });

  it('is empty while the estimate is unknown or the run is done', () => {
    expect(timeLeft(Number.NaN)).toBe('');
    expect(timeLeft(Number.POSITIVE_INFINITY)).toBe('');
    expect(timeLeft(0)).toBe('');
  });
});
