// Zip and gzip uploads. A zip's central directory is read by hand (it is a few fixed
// fields) so each entry becomes a lazy source, inflated in chunks with fflate's streaming
// Inflate only when it is read; sizes and CRC-32 are checked against what was actually
// inflated, so a header that lies fails with a sentence instead of importing part of a file.
import { Inflate } from 'fflate';
import { bytesSource, damaged, gunzipSource, InflateBudget, isGzip, pushOrFail, readHead, type ByteSource } from './source';
import { DataError } from './types';

export interface NamedBytes {
  /** A path: the upload's name, or `archive.zip/folder/file` for a file from a zip. */
  name: string;
  /** The content, read in chunks (inflated on the fly for archives). */
  source: ByteSource;
  /** The first 4 KiB of the content, for format detection. */
  head: Uint8Array;
  /** The zip it came from, if any. */
  archive?: string;
}

// Data files by extension (also inside .gz), plus extensionless train/test files like the reference's.
const textLike = /\.(csv|dat|txt|tsv|json|jsonl|inter|data)(\.gz)?$|(^|\/)[^/.]*(train|test)[^/.]*$/i;

export function isZip(file: { name: string; data: Uint8Array }): boolean {
  const d = file.data;
  return /\.zip$/i.test(file.name) || (d.length >= 4 && d[0] === 0x50 && d[1] === 0x4b && d[2] === 0x03 && d[3] === 0x04);
}

export interface Expanded {
  files: NamedBytes[];
  /** Every entry of each zip, for error messages. */
  archives: { name: string; entries: string[] }[];
}

/** Replaces each zip by the data files it holds and each .gz by its content; other files pass through. */
export async function expandArchives(
  files: { name: string; data: ArrayBuffer | Uint8Array }[],
  budget = new InflateBudget(),
): Promise<Expanded> {
  const out: NamedBytes[] = [];
  const archives: Expanded['archives'] = [];
  const add = async (name: string, source: ByteSource, archive?: string) => {
    const head = await readHead(source);
    if (isGzip(name, head)) {
      const inner = name.replace(/\.gz$/i, '');
      const unpacked = gunzipSource(name, source, budget);
      out.push({ name: inner, source: unpacked, head: await readHead(unpacked), ...(archive ? { archive } : {}) });
    } else {
      out.push({ name, source, head, ...(archive ? { archive } : {}) });
    }
  };
  for (const f of files) {
    const data = f.data instanceof Uint8Array ? f.data : new Uint8Array(f.data);
    if (!isZip({ name: f.name, data })) {
      await add(f.name, bytesSource(data));
      continue;
    }
    const entries = readCentralDirectory(f.name, data);
    const visible = entries.filter((e) => !(e.name.startsWith('__MACOSX/') || /(^|\/)\./.test(e.name) || e.name.endsWith('/')));
    archives.push({ name: f.name, entries: visible.map((e) => e.name) });
    const wanted = visible.filter((e) => textLike.test(e.name));
    if (wanted.length === 0)
      throw zipUnknown(
        f.name,
        visible.map((e) => e.name),
      );
    for (const entry of wanted) await add(`${f.name}/${entry.name}`, entrySource(f.name, data, entry, budget), f.name);
  }
  return { files: out, archives };
}

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function readCentralDirectory(zipName: string, d: Uint8Array): ZipEntry[] {
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const notZip = (why: string) => new DataError('binary', `${zipName} is not a readable zip archive (${why}).`);
  let end = -1;
  for (let at = d.length - 22; at >= Math.max(0, d.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw notZip('no central directory; the file may be cut off');
  const count = view.getUint16(end + 10, true);
  const dirOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    throw new DataError(
      'binary',
      `${zipName} is a ZIP64 archive (over 4 GB or 65,535 files), which this app cannot read. Unzip it and import the files.`,
    );
  }
  const entries: ZipEntry[] = [];
  let at = dirOffset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > d.length || view.getUint32(at, true) !== 0x02014b50) throw notZip('its central directory is damaged');
    const nameLength = view.getUint16(at + 28, true);
    const flags = view.getUint16(at + 8, true);
    const entry: ZipEntry = {
      flags,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      name: new TextDecoder(flags & 0x800 ? 'utf-8' : 'windows-1252').decode(d.subarray(at + 46, at + 46 + nameLength)),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) {
      throw new DataError(
        'binary',
        `${zipName} is a ZIP64 archive (over 4 GB), which this app cannot read. Unzip it and import the files.`,
      );
    }
    entries.push(entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

function entrySource(zipName: string, d: Uint8Array, e: ZipEntry, budget: InflateBudget): ByteSource {
  const name = `${zipName}/${e.name}`;
  return {
    storedBytes: e.compressedSize,
    async *chunks() {
      if (e.flags & 1) throw new DataError('binary', `${name} is encrypted; unzip it with its password and import the files.`);
      if (e.method !== 0 && e.method !== 8)
        throw new DataError('binary', `${name} uses a compression this app cannot read (method ${e.method}).`);
      const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
      if (e.localOffset + 30 > d.length || view.getUint32(e.localOffset, true) !== 0x04034b50)
        throw damaged(name, 'its local header is missing');
      const start = e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
      if (start + e.compressedSize > d.length) throw damaged(name, 'the archive is cut off');
      const stored = d.subarray(start, start + e.compressedSize);
      let produced = 0;
      let crc = 0xffffffff;
      const check = (chunk: Uint8Array) => {
        produced += chunk.length;
        budget.use(name, produced);
        if (produced > e.size) throw damaged(name, `its header says ${e.size} bytes, but it holds more`);
        crc = crc32(crc, chunk);
      };
      if (e.method === 0) {
        for (let at = 0; at < stored.length; at += 1 << 20) {
          const chunk = stored.subarray(at, Math.min(at + (1 << 20), stored.length));
          check(chunk);
          yield chunk;
        }
      } else {
        let out: Uint8Array[] = [];
        let ended = false;
        const inflate = new Inflate((chunk, final) => {
          check(chunk);
          out.push(chunk);
          if (final) ended = true;
        });
        for (let at = 0; at < stored.length; at += 1 << 16) {
          const last = at + (1 << 16) >= stored.length;
          pushOrFail(name, () => inflate.push(stored.subarray(at, Math.min(at + (1 << 16), stored.length)), last));
          const ready = out;
          out = [];
          yield* ready;
        }
        if (stored.length === 0) pushOrFail(name, () => inflate.push(new Uint8Array(0), true));
        yield* out;
        if (!ended) throw damaged(name, 'the compressed data ends early');
      }
      if (produced !== e.size) throw damaged(name, `its header says ${e.size} bytes, but it holds ${produced}`);
      if ((crc ^ 0xffffffff) >>> 0 !== e.crc) throw damaged(name, 'its checksum does not match');
    },
  };
}

let crcTable: Int32Array | undefined;

export function crc32(crc: number, data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const t = crcTable;
  let c = crc;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return c;
}

export function zipUnknown(archive: string, entries: string[]): DataError {
  const shown =
    entries.length === 0 ? 'nothing' : entries.slice(0, 12).join(', ') + (entries.length > 12 ? `, and ${entries.length - 12} more` : '');
  return new DataError(
    'zip-unknown',
    `${archive} holds no dataset file this app knows (ratings.csv or ratings.dat with movies, items.csv with ` +
      `interactions.csv, a train/test pair in the DUET format, or one ratings/interactions file). It contains: ${shown}.`,
  );
}
