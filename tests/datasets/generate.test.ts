import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OUT_DIR, DEFAULT_SEED, DatasetArgumentError, parseArgs } from '../../datasets/generate.ts';

describe('parseArgs', () => {
  it('defaults to the committed seed and folder', () => {
    expect(parseArgs([])).toEqual({ seed: DEFAULT_SEED, outDir: DEFAULT_OUT_DIR });
    expect(DEFAULT_SEED).toBe(20230430);
  });

  it('reads --seed and --out, spaced or with =', () => {
    expect(parseArgs(['--seed', '7', '--out=tmp/ds'])).toEqual({ seed: 7, outDir: resolve('tmp/ds') });
    expect(parseArgs(['--seed=42']).seed).toBe(42);
  });

  it('rejects bad input with a readable message', () => {
    expect(() => parseArgs(['--seed', 'abc'])).toThrow(DatasetArgumentError);
    expect(() => parseArgs(['--seed', '-1'])).toThrow(/whole number/);
    expect(() => parseArgs(['--seed'])).toThrow(/whole number/);
    expect(() => parseArgs(['--sed', '1'])).toThrow(/Unknown option "--sed"/);
  });
});
