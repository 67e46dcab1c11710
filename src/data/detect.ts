// Which format a set of uploaded files is in, from their names first and first lines second.
import { peekLines } from './text';
import type { DatasetFormat } from './types';
import { DataError } from './types';
import type { NamedBytes } from './zip';

export type DetectedFiles =
  | { format: 'movielens'; ratings: NamedBytes; movies?: NamedBytes }
  | { format: 'default'; items: NamedBytes; interactions: NamedBytes; truth?: NamedBytes }
  | { format: 'duet'; train: NamedBytes; test: NamedBytes }
  | { format: 'amazon'; file: NamedBytes }
  | { format: 'sasrec'; file: NamedBytes };

const duetLine = /^\d+;\d+;[\d,]*;[\d,]*;[01]\s*$/;
const pairLine = /^\S+[ \t]+\S+\s*$/;
const amazonLine = /^[^,]+,[^,]+,[^,]*,\s*\d+(\.\d+)?\s*$/;

const base = (f: NamedBytes) => f.name.slice(f.name.lastIndexOf('/') + 1).toLowerCase();
const dir = (f: NamedBytes) => f.name.slice(0, f.name.lastIndexOf('/') + 1);

export function detectFiles(files: NamedBytes[], requested: DatasetFormat | 'auto'): DetectedFiles {
  if (files.length === 0) throw new DataError('empty', 'No file was given.');
  if (files.every((f) => f.data.length === 0)) {
    throw new DataError('empty', `${files.map((f) => f.name).join(', ')} ${files.length > 1 ? 'are' : 'is'} empty.`);
  }
  const found = requested === 'auto' ? detectAuto(files) : pickFor(requested, files);
  if (!found) {
    const single = files.length === 1 ? files[0] : undefined;
    const head = single && peekLines(single.data);
    if (single && head === undefined) {
      throw new DataError('binary', `${single.name} is not UTF-8 text (a binary file, or text in another encoding).`);
    }
    if (single && head?.length === 0) throw new DataError('empty', `${single.name} is empty.`);
    throw new DataError(
      'columns',
      requested === 'auto'
        ? `Could not tell the format of ${files.map((f) => f.name).join(', ')}. Expected MovieLens ratings.csv/ratings.dat, ` +
            `an Amazon ratings CSV (user,item,rating,timestamp), SASRec text (user item per line), a DUET train/test pair ` +
            `(user;target;trigger_seq;click_seq;label), or items.csv with interactions.csv.`
        : `The files do not match the ${requested} format: ${expectation[requested]}`,
    );
  }
  return found;
}

const expectation: Record<DatasetFormat, string> = {
  movielens: 'expected ratings.csv (userId,movieId,rating,timestamp) or ratings.dat, optionally with movies.csv/movies.dat.',
  amazon: 'expected one CSV file with user,item,rating,timestamp per line.',
  sasrec: 'expected one text file with "user item" per line.',
  duet: 'expected two files whose names contain "train" and "test", with user;target;trigger_seq;click_seq;label per line.',
  default: 'expected items.csv and interactions.csv (and optionally truth.json).',
};

function detectAuto(files: NamedBytes[]): DetectedFiles | undefined {
  for (const format of ['movielens', 'default', 'duet'] as const) {
    const found = pickFor(format, files, true);
    if (found) return found;
  }
  const candidates = files.filter((f) => !/\.json$/i.test(f.name) && !/readme/i.test(base(f)));
  for (const file of candidates) {
    const first = peekLines(file.data, 1)?.[0];
    if (first === undefined) continue;
    if (/\bmovieid\b/i.test(first) && /\buserid\b/i.test(first)) return { format: 'movielens', ratings: file };
    if (amazonLine.test(first)) return { format: 'amazon', file };
    if (pairLine.test(first)) return { format: 'sasrec', file };
  }
  return undefined;
}

/** Files for a named format; `byNameOnly` is for auto-detection, which must not guess from a lone file. */
function pickFor(format: DatasetFormat, files: NamedBytes[], byNameOnly = false): DetectedFiles | undefined {
  const named = (...names: string[]) => files.find((f) => names.includes(base(f)));
  switch (format) {
    case 'movielens': {
      const ratings = named('ratings.csv', 'ratings.dat') ?? (byNameOnly ? undefined : single(files));
      if (!ratings) return undefined;
      const movies =
        files.find((f) => dir(f) === dir(ratings) && /^movies\.(csv|dat)$/.test(base(f))) ?? named('movies.csv', 'movies.dat');
      return { format, ratings, movies };
    }
    case 'default': {
      const items = named('items.csv');
      const interactions = named('interactions.csv');
      return items && interactions ? { format, items, interactions, truth: named('truth.json') } : undefined;
    }
    case 'duet': {
      const looksDuet = (f: NamedBytes) => duetLine.test(peekLines(f.data, 1)?.[0] ?? '');
      const train = files.find((f) => base(f).includes('train') && looksDuet(f));
      const test = files.find((f) => base(f).includes('test') && looksDuet(f));
      return train && test ? { format, train, test } : undefined;
    }
    case 'amazon':
    case 'sasrec': {
      const file = single(files);
      return file ? { format, file } : undefined;
    }
  }
}

/** The one data file among the given ones (ignoring READMEs and JSON). */
function single(files: NamedBytes[]): NamedBytes | undefined {
  const data = files.filter((f) => !/\.json$/i.test(f.name) && !/readme/i.test(base(f)));
  return data.length === 1 ? data[0] : undefined;
}
