// Small helpers every importer uses.
import Papa from 'papaparse';
import type { RowStreamOptions, TextInput } from '../csv';
import { records, streamRows } from '../csv';
import type { ByteSource } from '../source';
import { DataError } from '../types';

/** A file as importers read it: its whole text (small files, tests) or its bytes, streamed. */
export type TextFile = { name: string; text: string } | { name: string; source: ByteSource; latin1Fallback?: boolean };

export function textInput(file: TextFile): TextInput {
  return 'text' in file ? file.text : file;
}

/** The file's first non-empty line (the whole line, however long). */
export async function firstLine(file: TextFile): Promise<string> {
  for await (const piece of records(textInput(file), { noQuotes: true, chunkSize: 1 << 16 })) {
    const line = piece.text.split(/\r?\n/).find((l) => l.trim() !== '');
    if (line !== undefined) return line;
  }
  return '';
}

export interface ParseContext {
  signal?: AbortSignal;
  /** Called with the file being parsed and the fraction done (0..1). */
  onProgress?: (file: string, fraction: number) => void;
  /** Bytes (or characters) per piece read; tests use small ones to exercise the chunked path. */
  chunkSize?: number;
}

/** Receives a file's rows chunk by chunk; `firstRow` is the 0-based index of rows[0]. */
export type RowSink = (rows: string[][], firstRow: number) => void;

export function streamFile(file: TextFile, sink: RowSink, ctx: ParseContext, options: RowStreamOptions = {}): Promise<void> {
  return streamRows(textInput(file), sink, {
    chunkSize: ctx.chunkSize,
    ...options,
    signal: ctx.signal,
    onProgress: (fraction) => ctx.onProgress?.(file.name, fraction),
  });
}

/** The same rows in one go, for small embedded files. */
export function parseAll(
  file: { name: string; text: string },
  sink: RowSink,
  options: Pick<RowStreamOptions, 'delimiter' | 'noQuotes'> = {},
): void {
  const result = Papa.parse<string[]>(file.text, {
    delimiter: options.delimiter ?? '',
    quoteChar: options.noQuotes ? '\u0000' : '"',
    skipEmptyLines: 'greedy',
  });
  sink(result.data, 0);
}

/** Column positions by header name (case-insensitive); throws naming what is missing. */
export function headerColumns<K extends string>(file: string, header: string[], wanted: Record<K, string>): Record<K, number> {
  const lower = header.map((h) => h.trim().toLowerCase());
  const found = {} as Record<K, number>;
  const missing: string[] = [];
  for (const key of Object.keys(wanted) as K[]) {
    const at = lower.indexOf(wanted[key].toLowerCase());
    if (at < 0) missing.push(wanted[key]);
    found[key] = at;
  }
  if (missing.length > 0) {
    throw new DataError(
      'columns',
      `${file} is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; ` +
        `its header is "${header.join(',')}", expected ${Object.values(wanted).join(', ')}.`,
    );
  }
  return found;
}

export function requireFieldCount(file: string, row: string[], rowIndex: number, count: number, layout: string): void {
  if (row.length < count) {
    throw new DataError(
      'columns',
      `${file} row ${rowIndex + 1} has ${row.length} field${row.length === 1 ? '' : 's'}, expected ${count} (${layout}).`,
    );
  }
}

const digits = /^\d+$/;

/** A non-negative integer id, kept as its text. */
export function integerId(file: string, value: string, column: string, rowIndex: number): string {
  const v = value.trim();
  if (!digits.test(v)) {
    throw new DataError('non-numeric', `${file} row ${rowIndex + 1}: ${column} "${clip(value)}" is not a whole number.`);
  }
  return v;
}

export function numberField(file: string, value: string, column: string, rowIndex: number): number {
  const v = value.trim();
  const n = v === '' ? NaN : Number(v);
  if (!Number.isFinite(n)) {
    throw new DataError('non-numeric', `${file} row ${rowIndex + 1}: ${column} "${clip(value)}" is not a number.`);
  }
  return n;
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}...` : value;
}
