// One entry point for every upload: expand zips, detect the format, decode, parse in
// chunks, preprocess. Runs unchanged in the worker and in Node.
import { cancelled } from './csv';
import type { DetectedFiles } from './detect';
import { detectFiles } from './detect';
import { parseAmazon } from './formats/amazon';
import { parseDefaultFiles, parseTruth } from './formats/defaultDataset';
import { parseDuetText } from './formats/duetText';
import { parseMovieLens } from './formats/movielens';
import { parseSasrec } from './formats/sasrec';
import type { ParseContext, TextFile } from './formats/shared';
import type { PreprocessedData } from './preprocess';
import { preprocess } from './preprocess';
import { decodeText } from './text';
import type { Dataset, DatasetFormat, ImportProgress, PreprocessOptions } from './types';
import { DataError } from './types';
import type { NamedBytes } from './zip';
import { expandArchives, zipUnknown } from './zip';

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** maxSampleBytes defaults to importSampleBudget here; pass Infinity for no budget. */
  preprocess?: Partial<PreprocessOptions>;
}

/** Sample arrays an import may build before train targets get capped (see PreprocessOptions). */
export const importSampleBudget = 256 * 2 ** 20;

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
  const expanded = expandArchives(files);
  let detected: DetectedFiles;
  try {
    detected = detectFiles(expanded.files, format);
  } catch (error) {
    const fromZip = expanded.files.length > 0 && expanded.files.every((f) => f.archive);
    if (fromZip && error instanceof DataError && error.code === 'columns') {
      throw zipUnknown(expanded.archives.map((a) => a.name).join(', '), expanded.archives.flatMap((a) => a.entries));
    }
    throw error;
  }
  const texts = decodeAll(detected);
  checkCancelled();

  const total = Object.values(texts).reduce((n, t) => n + (t?.text.length ?? 0), 0) || 1;
  const done = new Map<string, number>();
  const ctx: ParseContext = {
    signal,
    onProgress: (file, fraction) => {
      done.set(file, fraction * (Object.values(texts).find((t) => t?.name === file)?.text.length ?? 0));
      const sum = [...done.values()].reduce((a, b) => a + b, 0);
      onProgress?.({ stage: 'parsing', fraction: Math.min(1, sum / total), message: `Parsing ${shortName(file)}` });
    },
  };
  const data = await parseAndPreprocess(detected.format, texts, ctx, options);
  checkCancelled();
  onProgress?.({ stage: 'preprocessing', fraction: 1, message: `${data.stats.users} users, ${data.stats.items} items` });
  return { id: datasetId(name), name, format: detected.format, createdAt: Date.now(), ...data };
}

type Texts = Record<string, TextFile | undefined>;

function decodeAll(d: DetectedFiles): Texts {
  const decode = (f: NamedBytes | undefined, latin1Fallback = false) =>
    f && { name: f.name, text: decodeText(shortName(f.name), f.data, { latin1Fallback }) };
  switch (d.format) {
    case 'movielens':
      // ML-1M's movies.dat is Latin-1; ratings must still be clean text.
      return { ratings: decode(d.ratings), movies: decode(d.movies, true) };
    case 'default':
      return { items: decode(d.items), interactions: decode(d.interactions), truth: decode(d.truth) };
    case 'duet':
      return { train: decode(d.train), test: decode(d.test) };
    case 'amazon':
    case 'sasrec':
      return { file: decode(d.file) };
  }
}

async function parseAndPreprocess(format: DatasetFormat, t: Texts, ctx: ParseContext, options: ImportOptions): Promise<PreprocessedData> {
  const run = async (parse: () => Promise<Parameters<typeof preprocess>[0]>) => {
    const parsed = await parse();
    options.onProgress?.({ stage: 'preprocessing', fraction: 0, message: `Preprocessing ${parsed.count} interactions` });
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (ctx.signal?.aborted) throw cancelled();
    return preprocess(parsed, { ...options.preprocess, maxSampleBytes: options.preprocess?.maxSampleBytes ?? importSampleBudget });
  };
  switch (format) {
    case 'movielens':
      return run(() => parseMovieLens({ ratings: t.ratings!, movies: t.movies }, ctx));
    case 'amazon':
      return run(() => parseAmazon(t.file!, ctx));
    case 'sasrec':
      return run(() => parseSasrec(t.file!, ctx));
    case 'default': {
      const data = await run(() => parseDefaultFiles({ items: t.items!, interactions: t.interactions! }, ctx));
      return t.truth ? { ...data, truth: parseTruth(t.truth.text, data.histories!) } : data;
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
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dataset';
  return `${slug}-${Date.now().toString(36)}${(idsMade++).toString(36)}`;
}
