// A peek at the first lines of some bytes, for format detection (whole files are read
// in chunks: csv.ts).

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
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, lines);
}
