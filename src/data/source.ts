// Uploaded bytes as re-readable streams of chunks: a plain file is sliced, a gzip file is
// inflated as it is read (fflate's streaming Gunzip), and every inflation counts against
// one budget, so a small archive that expands to gigabytes stops with a sentence instead
// of filling memory. Nothing here trusts a size an archive claims.
import { Gunzip } from 'fflate';
import { DataError } from './types';

export interface ByteSource {
  /** Bytes on disk (compressed size for an archive entry). */
  readonly storedBytes: number;
  /** Each call reads from the start again. */
  chunks(): AsyncGenerator<Uint8Array>;
}

/** Bytes any one import may inflate, over all its archives; importFiles' default. */
export const defaultInflateLimit = 2 * 2 ** 30;

/** Counts inflated bytes per source (the largest pass of each) against one limit. */
export class InflateBudget {
  private readonly bySource = new Map<string, number>();
  private total = 0;

  constructor(readonly limit = defaultInflateLimit) {}

  /** Records that `name` has produced `bytes` in its current pass; throws past the limit. */
  use(name: string, bytes: number): void {
    const before = this.bySource.get(name) ?? 0;
    if (bytes <= before) return;
    this.total += bytes - before;
    this.bySource.set(name, bytes);
    if (this.total > this.limit) {
      throw new DataError(
        'too-large',
        `${name} expands to more than ${formatBytes(this.limit)} when unpacked (the limit for one import). ` +
          `It may be damaged or a "zip bomb"; if it is real data, unpack it and import the files you need.`,
      );
    }
  }
}

export function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${+(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${+(n / 2 ** 20).toFixed(1)} MiB` : `${n} bytes`;
}

const CHUNK = 1 << 20;

export function bytesSource(data: Uint8Array, chunkBytes = CHUNK): ByteSource {
  return {
    storedBytes: data.length,
    async *chunks() {
      for (let at = 0; at < data.length; at += chunkBytes) yield data.subarray(at, Math.min(at + chunkBytes, data.length));
    },
  };
}

export function isGzip(name: string, head: Uint8Array): boolean {
  return /\.gz$/i.test(name) || (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b);
}

/** The inflated content of a gzip source, streamed, counted against `budget`. */
export function gunzipSource(name: string, compressed: ByteSource, budget: InflateBudget): ByteSource {
  return {
    storedBytes: compressed.storedBytes,
    async *chunks() {
      let out: Uint8Array[] = [];
      let produced = 0;
      let ended = false;
      const gunzip = new Gunzip((chunk, final) => {
        produced += chunk.length;
        budget.use(name, produced);
        out.push(chunk);
        if (final) ended = true;
      });
      for await (const chunk of compressed.chunks()) {
        pushOrFail(name, () => gunzip.push(chunk));
        if (out.length > 0) {
          const ready = out;
          out = [];
          yield* ready;
        }
      }
      pushOrFail(name, () => gunzip.push(new Uint8Array(0), true));
      yield* out;
      if (!ended) throw damaged(name, 'the compressed data ends early');
    },
  };
}

export function pushOrFail(name: string, push: () => void): void {
  try {
    push();
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw damaged(name, (error as Error).message);
  }
}

export function damaged(name: string, why: string): DataError {
  return new DataError('damaged', `${name} is damaged (${why}). Nothing was imported; download it again.`);
}

/** The first `bytes` bytes of a source (fewer when it is shorter). */
export async function readHead(source: ByteSource, bytes = 4096): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  const it = source.chunks();
  try {
    while (n < bytes) {
      const next = await it.next();
      if (next.done) break;
      parts.push(next.value);
      n += next.value.length;
    }
  } finally {
    await it.return(undefined);
  }
  const head = new Uint8Array(Math.min(n, bytes));
  let at = 0;
  for (const p of parts) {
    head.set(p.subarray(0, head.length - at), at);
    at += Math.min(p.length, head.length - at);
  }
  return head;
}
