// Chunked, cancellable parsing of delimited text. A file is read as bytes in chunks,
// decoded with a streaming TextDecoder and cut at the last record end of each chunk (a
// newline outside quotes), so no file is ever one string (a JS string tops out near
// 512 MiB); papaparse splits each piece into fields. Between pieces the parser yields to
// the event loop, so a worker keeps answering messages (a cancel above all).
import Papa from 'papaparse';
import type { ByteSource } from './source';
import { DataError } from './types';

/** A file to read: its whole text (small and embedded files, tests) or its bytes. */
export type TextInput = string | { name: string; source: ByteSource; latin1Fallback?: boolean; sizeHint?: number };

export interface RowStreamOptions {
  /** Field separator; papaparse guesses from the first piece when absent. */
  delimiter?: string;
  /** Set for formats without quoting (MovieLens .dat) so a stray quote is just a character. */
  noQuotes?: boolean;
  signal?: AbortSignal;
  /** Fraction of the input read so far, 0..1. */
  onProgress?: (fraction: number) => void;
  /** Characters (text input) or bytes (byte input) per piece. */
  chunkSize?: number;
}

const DEFAULT_CHUNK = 1 << 20;
/** A record still open after this many characters means an unclosed quote, not a long field. */
const MAX_RECORD = 16 << 20;

/** Pieces of text in order, each ending at a chunk boundary (not yet at a record end). */
async function* textPieces(input: TextInput, chunkSize: number): AsyncGenerator<{ text: string; fraction: number }> {
  if (typeof input === 'string') {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    if (text.length === 0) yield { text: '', fraction: 1 };
    for (let at = 0; at < text.length; at += chunkSize) {
      yield { text: text.slice(at, at + chunkSize), fraction: Math.min(1, (at + chunkSize) / text.length) };
    }
    return;
  }
  const latin1 = input.latin1Fallback && !(await isUtf8(input.source));
  const decoder = new TextDecoder(latin1 ? 'windows-1252' : 'utf-8', { fatal: !latin1 });
  const total = input.sizeHint ?? input.source.storedBytes;
  let read = 0;
  for await (const chunk of input.source.chunks()) {
    if (chunk.includes(0)) {
      throw new DataError(
        'binary',
        `${input.name} looks like a binary file or UTF-16 text (it contains NUL bytes). Save it as UTF-8 text.`,
      );
    }
    for (let at = 0; at < chunk.length; at += chunkSize) {
      const part = chunk.subarray(at, Math.min(at + chunkSize, chunk.length));
      read += part.length;
      yield { text: decodeOrFail(decoder, part, input.name, true), fraction: Math.min(0.99, read / Math.max(total, 1)) };
    }
  }
  yield { text: decodeOrFail(decoder, new Uint8Array(0), input.name, false), fraction: 1 };
}

function decodeOrFail(decoder: TextDecoder, bytes: Uint8Array, name: string, stream: boolean): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch {
    throw new DataError('binary', `${name} is not UTF-8 text. Save it as UTF-8 (or CSV UTF-8) and try again.`);
  }
}

async function isUtf8(source: ByteSource): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of source.chunks()) decoder.decode(chunk, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** Complete records, cut after the last newline outside quotes of what has arrived. */
export async function* records(
  input: TextInput,
  options: { noQuotes?: boolean; chunkSize?: number } = {},
): AsyncGenerator<{ text: string; fraction: number }> {
  const name = typeof input === 'string' ? 'The text' : input.name;
  let carry = '';
  let inQuotes = false;
  let sawContent = false;
  for await (const { text, fraction } of textPieces(input, options.chunkSize ?? DEFAULT_CHUNK)) {
    if (!sawContent && /\S/.test(text)) sawContent = true;
    const pending = carry + text;
    let cut = -1;
    if (options.noQuotes) cut = pending.lastIndexOf('\n');
    else {
      for (let i = carry.length; i < pending.length; i++) {
        const c = pending.charCodeAt(i);
        if (c === 34) inQuotes = !inQuotes;
        else if (c === 10 && !inQuotes) cut = i;
      }
      // carry was scanned before: a cut inside it is impossible (it starts after the last one).
    }
    if (cut < 0) {
      carry = pending;
      if (carry.length > MAX_RECORD) throw new DataError('columns', `${name} has a record longer than 16 MiB (an unclosed quote?).`);
      continue;
    }
    carry = pending.slice(cut + 1);
    yield { text: pending.slice(0, cut + 1), fraction };
  }
  if (!sawContent) throw new DataError('empty', `${typeof input === 'string' ? 'The text' : input.name} is empty.`);
  if (carry !== '') yield { text: carry, fraction: 1 };
}

/**
 * Calls onRows with each piece's rows (fields as strings, blank lines skipped) in file
 * order; `firstRow` is the 0-based index of the piece's first row. Resolves when all
 * rows are delivered; rejects with what onRows throws or DataError('cancelled').
 */
export async function streamRows(
  input: TextInput,
  onRows: (rows: string[][], firstRow: number) => void,
  options: RowStreamOptions = {},
): Promise<void> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw cancelled();
  let delimiter = options.delimiter ?? '';
  let rowsSeen = 0;
  for await (const piece of records(input, options)) {
    const result = Papa.parse<string[]>(piece.text, {
      delimiter,
      quoteChar: options.noQuotes ? '\u0000' : '"',
      skipEmptyLines: 'greedy',
    });
    if (delimiter === '') delimiter = result.meta.delimiter;
    onRows(result.data, rowsSeen);
    rowsSeen += result.data.length;
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal?.aborted) throw cancelled();
    onProgress?.(piece.fraction);
  }
}

export function cancelled(): DataError {
  return new DataError('cancelled', 'The import was cancelled.');
}
