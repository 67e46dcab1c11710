// Which format a set of uploaded files is in, from their names first and first lines second.
import { peekLines } from './text';
import type { DatasetFormat } from './types';
import { DataError } from './types';
import type { NamedBytes } from './zip';

export type DetectedFiles =
  | { format: 'movielens'; ratings: NamedBytes; movies?: NamedBytes }
  | { format: 'default'; items: NamedBytes; interactions: NamedBytes; truth?: NamedBytes }
  | { format: 'duet'; train: NamedBytes; test: NamedBytes }
  | { format: 'amazon' | 'sasrec' | 'recbole'; file: NamedBytes };

const duetLine = /^\d+;\d+;[\d,]*;[\d,]*;[01]\s*$/;
/** `user item` or `user item item ...` (SASRec's two layouts): whitespace-separated tokens only. */
const sasrecLine = /^\S+([ \t]+\S+)+\s*$/;
/** 3-4 fields with any common separator, the last a number: a ratings or interactions log. */
const ratingsLine = /^[^,|\t:]+(::|\||\t|,)[^,|\t:]+((::|\||\t|,)[^,|\t:]*)?(::|\||\t|,)\s*-?\d+(\.\d+)?\s*$/;
const integerRatingsLine = /^\s*\d+\s*(::|\||\t|,)\s*\d+\s*(::|\||\t|,)/;

const base = (f: NamedBytes) => f.name.slice(f.name.lastIndexOf('/') + 1).toLowerCase();
const dir = (f: NamedBytes) => f.name.slice(0, f.name.lastIndexOf('/') + 1);
const first = (f: NamedBytes) => peekLines(f.head, 1)?.[0];

export function detectFiles(files: NamedBytes[], requested: DatasetFormat | 'auto'): DetectedFiles {
  if (files.length === 0) throw new DataError('empty', 'No file was given.');
  if (files.every((f) => f.head.length === 0)) {
    throw new DataError('empty', `${files.map((f) => f.name).join(', ')} ${files.length > 1 ? 'are' : 'is'} empty.`);
  }
  const found = requested === 'auto' ? detectAuto(files) : pickFor(requested, files);
  if (!found) {
    const single = files.length === 1 ? files[0] : undefined;
    const head = single && peekLines(single.head);
    if (single && head === undefined) {
      throw new DataError('binary', `${single.name} is not UTF-8 text (a binary file, or text in another encoding).`);
    }
    if (single && head?.length === 0) throw new DataError('empty', `${single.name} is empty.`);
    throw new DataError(
      'columns',
      requested === 'auto'
        ? `Could not tell the format of ${files.map((f) => f.name).join(', ')}. Expected MovieLens ratings.csv/ratings.dat, ` +
            `a ratings log (user, item, rating, timestamp with ::, |, tab or comma), Amazon reviews as JSON lines, ` +
            `a RecBole .inter file, SASRec text (user item per line, or user item item ... per user), a DUET train/test pair ` +
            `(user;target;trigger_seq;click_seq;label), or items.csv with interactions.csv.`
        : `The files do not match the ${requested} format: ${expectation[requested]}`,
    );
  }
  return found;
}

const expectation: Record<DatasetFormat, string> = {
  movielens: 'expected ratings.csv (userId,movieId,rating,timestamp) or ratings.dat, optionally with movies.csv/movies.dat.',
  amazon: 'expected one file: user,item,rating,timestamp per line, or reviews as JSON lines.',
  sasrec: 'expected one text file with "user item" per line, or "user item item ..." per user.',
  recbole: 'expected one RecBole .inter file (header user_id:token item_id:token ... timestamp:float).',
  duet: 'expected two files whose names contain "train" and "test", with user;target;trigger_seq;click_seq;label per line.',
  default: 'expected items.csv and interactions.csv (and optionally truth.json).',
};

function detectAuto(files: NamedBytes[]): DetectedFiles | undefined {
  for (const format of ['movielens', 'default', 'duet'] as const) {
    const found = pickFor(format, files, true);
    if (found) return found;
  }
  const candidates = dataFiles(files);
  for (const file of candidates) {
    const line = first(file);
    if (line === undefined) continue;
    if (/\.inter$/i.test(file.name) || /^\S+:token\b/.test(line)) return { format: 'recbole', file };
    if (line.trimStart().startsWith('{')) return { format: 'amazon', file };
    if (/\bmovieid\b/i.test(line) && /\buserid\b/i.test(line)) return { format: 'movielens', ratings: file };
    if (ratingsLine.test(line)) return integerRatingsLine.test(line) ? { format: 'movielens', ratings: file } : { format: 'amazon', file };
    if (sasrecLine.test(line)) return { format: 'sasrec', file };
  }
  return undefined;
}

/** Files for a named format; `byNameOnly` is for auto-detection, which must not guess from a lone file. */
function pickFor(format: DatasetFormat, files: NamedBytes[], byNameOnly = false): DetectedFiles | undefined {
  const named = (...names: string[]) => files.find((f) => names.includes(base(f)));
  switch (format) {
    case 'movielens': {
      const ratings = named('ratings.csv', 'ratings.dat', 'u.data') ?? (byNameOnly ? undefined : single(files));
      if (!ratings) return undefined;
      const movies = files.find((f) => dir(f) === dir(ratings) && /^movies\.(csv|dat)$/.test(base(f))) ?? named('movies.csv', 'movies.dat');
      return { format, ratings, movies };
    }
    case 'default': {
      const items = named('items.csv');
      const interactions = named('interactions.csv');
      return items && interactions ? { format, items, interactions, truth: named('truth.json') } : undefined;
    }
    case 'duet': {
      const looksDuet = (f: NamedBytes) => duetLine.test(first(f) ?? '');
      const train = files.find((f) => base(f).includes('train') && looksDuet(f));
      const test = files.find((f) => base(f).includes('test') && looksDuet(f));
      return train && test ? { format, train, test } : undefined;
    }
    case 'amazon':
    case 'sasrec':
    case 'recbole': {
      const file = single(files);
      return file ? { format, file } : undefined;
    }
  }
}

/** Files that may hold data (not READMEs, not JSON metadata; JSON lines count). */
function dataFiles(files: NamedBytes[]): NamedBytes[] {
  const jsonLines = (f: NamedBytes) => /^\s*\{.*\}\s*$/.test(first(f) ?? '');
  return files.filter((f) => !(/\.json$/i.test(f.name) && (base(f) === 'truth.json' || !jsonLines(f))) && !/readme/i.test(base(f)));
}

/** The one data file among the given ones. */
function single(files: NamedBytes[]): NamedBytes | undefined {
  const data = dataFiles(files);
  return data.length === 1 ? data[0] : undefined;
}
