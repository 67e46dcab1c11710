// One entry point for every upload: expand zips, detect the format, decode, parse in
// chunks, preprocess. Runs unchanged in the worker and in Node.
import { cancelled, records } from './csv';
import type { DetectedFiles } from './detect';
import { detectFiles } from './detect';
import { parseAmazon } from './formats/amazon';
import { parseDefaultFiles, parseTruth } from './formats/defaultDataset';
import { parseDuetText } from './formats/duetText';
import { parseMovieLens } from './formats/movielens';
import { parseSasrec } from './formats/sasrec';
import type { ParseContext } from './formats/shared';
import type { PreprocessedData } from './preprocess';
import { preprocess } from './preprocess';
import { parseRatings } from './formats/ratings';
import { defaultInflateLimit, InflateBudget, type ByteSource } from './source';
import type { Dataset, DatasetFormat, ImportProgress, PreprocessOptions } from './types';
import { DataError } from './types';
import type { NamedBytes } from './zip';
import { expandArchives, zipUnknown } from './zip';

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  preprocess?: Partial<PreprocessOptions>;
  /** Most bytes zips and gzips may inflate to, over the whole import (default 2 GiB). */
  inflateLimit?: number;
  /** Bytes per piece read (tests use small ones to exercise the chunked path). */
  chunkSize?: number;
}

export async function importFiles(
  files: { name: string; data: ArrayBuffer | Uint8Array }[],
  format: DatasetFormat | 'auto',
  name: string,
  options: ImportOptions = {},
): Promise<Dataset> {
  const { signal, onProgress } = options;
  const checkCancelled = () => {
    if (signal?.aborted) throw cancelled();
  };
  checkCancelled();
  onProgress?.({ stage: 'reading', fraction: 0, message: `Reading ${files.map((f) => f.name).join(', ')}` });
  const expanded = await expandArchives(files, new InflateBudget(options.inflateLimit ?? defaultInflateLimit));
  let detected: DetectedFiles;
  try {
    detected = detectFiles(expanded.files, format);
  } catch (error) {
    const fromZip = expanded.files.length > 0 && expanded.files.every((f) => f.archive);
    if (fromZip && error instanceof DataError && error.code === 'columns') {
      throw zipUnknown(
        expanded.archives.map((a) => a.name).join(', '),
        expanded.archives.flatMap((a) => a.entries),
      );
    }
    throw error;
  }
  const texts = textFiles(detected);
  checkCancelled();

  const sizes = new Map(Object.values(texts).flatMap((t) => (t ? [[t.name, t.source.storedBytes] as const] : [])));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0) || 1;
  const done = new Map<string, number>();
  const ctx: ParseContext = {
    signal,
    chunkSize: options.chunkSize,
    onProgress: (file, fraction) => {
      done.set(file, fraction * (sizes.get(file) ?? 0));
      const sum = [...done.values()].reduce((a, b) => a + b, 0);
      onProgress?.({ stage: 'parsing', fraction: Math.min(1, sum / total), message: `Parsing ${shortName(file)}` });
    },
  };
  const data = await parseAndPreprocess(detected.format, texts, ctx, options);
  checkCancelled();
  onProgress?.({ stage: 'preprocessing', fraction: 1, message: `${data.stats.users} users, ${data.stats.items} items` });
  return { id: datasetId(name), name, format: detected.format, createdAt: Date.now(), ...data };
}

type StreamedFile = { name: string; source: ByteSource; latin1Fallback?: boolean };
type Texts = Record<string, StreamedFile | undefined>;

function textFiles(d: DetectedFiles): Texts {
  const open = (f: NamedBytes | undefined, latin1Fallback = false) =>
    f && { name: f.name, source: f.source, ...(latin1Fallback ? { latin1Fallback } : {}) };
  switch (d.format) {
    case 'movielens':
      // ML-1M's movies.dat is Latin-1; ratings must still be clean text.
      return { ratings: open(d.ratings), movies: open(d.movies, true) };
    case 'default':
      return { items: open(d.items), interactions: open(d.interactions), truth: open(d.truth) };
    case 'duet':
      return { train: open(d.train), test: open(d.test) };
    case 'amazon':
    case 'sasrec':
    case 'recbole':
      return { file: open(d.file) };
  }
}

/** A small file (truth.json) as one string; refuses anything large. */
async function smallText(file: StreamedFile, limit = 64 << 20): Promise<string> {
  let text = '';
  for await (const piece of records(file, { noQuotes: true })) {
    text += piece.text;
    if (text.length > limit) throw new DataError('too-large', `${shortName(file.name)} is larger than ${limit >> 20} MiB.`);
  }
  return text;
}

async function parseAndPreprocess(format: DatasetFormat, t: Texts, ctx: ParseContext, options: ImportOptions): Promise<PreprocessedData> {
  const run = async (parse: () => Promise<Parameters<typeof preprocess>[0]>) => {
    const parsed = await parse();
    options.onProgress?.({ stage: 'preprocessing', fraction: 0, message: `Preprocessing ${parsed.count} interactions` });
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (ctx.signal?.aborted) throw cancelled();
    return preprocess(parsed, options.preprocess);
  };
  switch (format) {
    case 'movielens':
      return run(() => parseMovieLens({ ratings: t.ratings!, movies: t.movies }, ctx));
    case 'amazon':
      return run(() => parseAmazon(t.file!, ctx));
    case 'sasrec':
      return run(() => parseSasrec(t.file!, ctx));
    case 'recbole':
      return run(() => parseRatings(t.file!, ctx, { layout: 'user_id:token item_id:token ... timestamp:float' }));
    case 'default': {
      const data = await run(() => parseDefaultFiles({ items: t.items!, interactions: t.interactions! }, ctx));
      return t.truth ? { ...data, truth: parseTruth(await smallText(t.truth), data.histories!) } : data;
    }
    case 'duet':
      return parseDuetText({ train: t.train!, test: t.test! }, ctx);
  }
}

function shortName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

let idsMade = 0;

/** Readable, and unique within one browser's store (time plus a per-session counter). */
export function datasetId(name: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'dataset';
  return `${slug}-${Date.now().toString(36)}${(idsMade++).toString(36)}`;
}
