import { describe, expect, it } from 'vitest';
import { streamRows } from '../../src/data/csv';
import { DataError } from '../../src/data/types';

const quoted = (n: number) => {
  const lines = ['id,text,double'];
  for (let i = 0; i < n; i++) lines.push(`${i},"a, ""b"" ${i}\nsecond line",${2 * i}`);
  return lines.join('\r\n') + '\r\n';
};

describe('streamRows', () => {
  it('delivers every row once, in order, across chunk boundaries inside quotes', async () => {
    const rows: string[][] = [];
    const starts: number[] = [];
    await streamRows(
      quoted(500),
      (chunk, first) => {
        starts.push(first);
        rows.push(...chunk);
      },
      { chunkSize: 97 },
    );
    expect(rows.length).toBe(501);
    expect(starts.length).toBeGreaterThan(100);
    expect(starts.every((s, k) => k === 0 || s >= starts[k - 1])).toBe(true);
    rows.slice(1).forEach((row, i) => expect(row).toEqual([String(i), `a, "b" ${i}\nsecond line`, String(2 * i)]));
  });

  it('reports growing progress that ends at 1', async () => {
    const fractions: number[] = [];
    await streamRows(quoted(200), () => undefined, { chunkSize: 500, onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(10);
    expect(fractions.every((f, k) => k === 0 || f >= fractions[k - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
  });

  it('lets timers run between chunks and stops mid-file when aborted', async () => {
    const controller = new AbortController();
    let chunks = 0;
    setTimeout(() => controller.abort(), 0);
    const error = await streamRows(quoted(500), () => chunks++, { chunkSize: 97, signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('cancelled');
    expect(chunks).toBeGreaterThan(0);
    expect(chunks).toBeLessThan(10);
  });

  it('rejects with what the row handler throws', async () => {
    const error = await streamRows('a,b\nc,d\n', () => {
      throw new DataError('columns', 'nope');
    }).catch((e) => e);
    expect((error as DataError).message).toBe('nope');
  });

  it('splits on a multi-character delimiter and ignores quotes when told', async () => {
    const rows: string[][] = [];
    await streamRows('1::Toy "Story" (1995)::Animation\n2::"B::C\n', (chunk) => rows.push(...chunk), { delimiter: '::', noQuotes: true });
    expect(rows).toEqual([
      ['1', 'Toy "Story" (1995)', 'Animation'],
      ['2', '"B', 'C'],
    ]);
  });
});
