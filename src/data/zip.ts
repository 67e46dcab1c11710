// Zip uploads: expand them in memory (fflate) and keep the text files inside, at any depth.
import { unzipSync } from 'fflate';
import { DataError } from './types';

export interface NamedBytes {
  /** A path: the upload's name, or `archive.zip/folder/file` for a file from a zip. */
  name: string;
  data: Uint8Array;
  /** The zip it came from, if any. */
  archive?: string;
}

// Data files by extension, plus extensionless train/test files like the reference's.
const textLike = /\.(csv|dat|txt|tsv|json|inter)$|(^|\/)[^/.]*(train|test)[^/.]*$/i;

export function isZip(file: { name: string; data: Uint8Array }): boolean {
  const d = file.data;
  return /\.zip$/i.test(file.name) || (d.length >= 4 && d[0] === 0x50 && d[1] === 0x4b && d[2] === 0x03 && d[3] === 0x04);
}

export interface Expanded {
  files: NamedBytes[];
  /** Every entry of each zip, for error messages. */
  archives: { name: string; entries: string[] }[];
}

/** Replaces each zip by the text files it holds; other files pass through. */
export function expandArchives(files: { name: string; data: ArrayBuffer | Uint8Array }[]): Expanded {
  const out: NamedBytes[] = [];
  const archives: Expanded['archives'] = [];
  for (const f of files) {
    const file = { name: f.name, data: f.data instanceof Uint8Array ? f.data : new Uint8Array(f.data) };
    if (!isZip(file)) {
      out.push(file);
      continue;
    }
    const entries: string[] = [];
    let unzipped: Record<string, Uint8Array>;
    try {
      unzipped = unzipSync(file.data, {
        filter: (entry) => {
          const hidden = entry.name.startsWith('__MACOSX/') || /(^|\/)\./.test(entry.name) || entry.name.endsWith('/');
          if (!hidden) entries.push(entry.name);
          return !hidden && textLike.test(entry.name);
        },
      });
    } catch (error) {
      throw new DataError('binary', `${file.name} is not a readable zip archive (${(error as Error).message}).`);
    }
    archives.push({ name: file.name, entries });
    const inside = Object.entries(unzipped);
    if (inside.length === 0) throw zipUnknown(file.name, entries);
    for (const [path, data] of inside) out.push({ name: `${file.name}/${path}`, data, archive: file.name });
  }
  return { files: out, archives };
}

export function zipUnknown(archive: string, entries: string[]): DataError {
  const shown = entries.length === 0 ? 'nothing' : entries.slice(0, 12).join(', ') + (entries.length > 12 ? `, and ${entries.length - 12} more` : '');
  return new DataError(
    'zip-unknown',
    `${archive} holds no dataset file this app knows (ratings.csv or ratings.dat with movies, items.csv with ` +
      `interactions.csv, a train/test pair in the DUET format, or one ratings/interactions file). It contains: ${shown}.`,
  );
}
