// Bytes to text, refusing what is not text: a binary upload should fail with a
// message, not turn into thousands of garbage rows.
import { DataError } from './types';

export interface DecodeOptions {
  /** Accept Windows-1252 when the bytes are not UTF-8 (ML-1M's movies.dat is Latin-1). */
  latin1Fallback?: boolean;
}

export function decodeText(name: string, data: ArrayBuffer | Uint8Array, options: DecodeOptions = {}): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length === 0) throw new DataError('empty', `${name} is empty.`);
  if (bytes.includes(0)) {
    throw new DataError('binary', `${name} looks like a binary file or UTF-16 text (it contains NUL bytes). Save it as UTF-8 text.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (!options.latin1Fallback) {
      throw new DataError('binary', `${name} is not UTF-8 text. Save it as UTF-8 (or CSV UTF-8) and try again.`);
    }
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new DataError('empty', `${name} is empty.`);
  return text;
}

/** The first few lines, for format detection; undefined when the bytes are not UTF-8 text. */
export function peekLines(data: ArrayBuffer | Uint8Array, lines = 3): string[] | undefined {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return undefined;
  let text: string;
  try {
    // stream: the cut at 4096 bytes may split a character, which is not an error here.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true }).replace(/^\ufeff/, '');
  } catch {
    return undefined;
  }
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, lines);
}
