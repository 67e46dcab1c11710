// Chunked, cancellable parsing of delimited text with papaparse. Between chunks the
// parser pauses and yields to the event loop, so a worker keeps answering messages
// (a cancel above all) while a large file is read.
import Papa from 'papaparse';
import { DataError } from './types';

export interface RowStreamOptions {
  /** Field separator; papaparse guesses when absent. */
  delimiter?: string;
  /** Set for formats without quoting (MovieLens .dat) so a stray quote is just a character. */
  noQuotes?: boolean;
  signal?: AbortSignal;
  /** Fraction of characters parsed so far, 0..1. */
  onProgress?: (fraction: number) => void;
  /** Characters per chunk. */
  chunkSize?: number;
}

/**
 * Calls onRows with each chunk's rows (fields as strings, blank lines skipped) in file
 * order; `firstRow` is the 0-based index of the chunk's first row. Resolves when all
 * rows are delivered; rejects with what onRows throws or DataError('cancelled').
 */
export function streamRows(
  text: string,
  onRows: (rows: string[][], firstRow: number) => void,
  options: RowStreamOptions = {},
): Promise<void> {
  const { signal, onProgress } = options;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let rowsSeen = 0;
    const fail = (error: unknown, parser?: Papa.Parser) => {
      if (settled) return;
      settled = true;
      parser?.abort();
      reject(error);
    };
    if (signal?.aborted) return fail(cancelled());
    Papa.parse<string[]>(text, {
      delimiter: options.delimiter ?? '',
      quoteChar: options.noQuotes ? '\u0000' : '"',
      skipEmptyLines: 'greedy',
      chunkSize: options.chunkSize ?? 1 << 20,
      chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        if (settled) return;
        try {
          onRows(results.data, rowsSeen);
        } catch (error) {
          return fail(error, parser);
        }
        rowsSeen += results.data.length;
        const fraction = text.length ? Math.min(1, results.meta.cursor / text.length) : 1;
        parser.pause();
        setTimeout(() => {
          if (settled) return;
          if (signal?.aborted) return fail(cancelled(), parser);
          onProgress?.(fraction);
          parser.resume();
        }, 0);
      },
      complete() {
        if (settled) return;
        settled = true;
        resolve();
      },
      error(error: Error) {
        fail(new DataError('unknown', `Could not read the file: ${error.message}`));
      },
    });
  });
}

export function cancelled(): DataError {
  return new DataError('cancelled', 'The import was cancelled.');
}
