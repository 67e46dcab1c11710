// The reference's own sample files (DUET.md, sample format), taken as they are:
// `user_id;target_item;trigger_seq;click_seq;label`, one train and one test file.
// Validation: each user's last positive in the train file, with the negatives right
// after it, moves out of train (the reference has no validation set; DUET.md).
import { defaultPreprocessOptions } from '../preprocess';
import { emptySampleSet } from '../samples';
import { top10PctShare } from '../stats';
import type { Dataset, ItemMeta, SampleSet } from '../types';
import { DataError } from '../types';
import type { ParseContext, TextFile } from './shared';
import { integerId, requireFieldCount, streamFile } from './shared';

export type DuetTextData = Omit<Dataset, 'id' | 'name' | 'format' | 'createdAt'>;

/** Rows as read, with source user ids; grows its typed arrays. */
class RawSamples {
  count = 0;
  seqLen = -1;
  user: string[] = [];
  target = new Int32Array(256);
  label = new Float32Array(256);
  click = new Int32Array(0);
  trigger = new Int32Array(0);

  add(file: string, row: string[], index: number): void {
    requireFieldCount(file, row, index, 5, 'user_id;target_item;trigger_seq;click_seq;label');
    const trigger = ids(file, row[2], 'trigger_seq', index);
    const click = ids(file, row[3], 'click_seq', index);
    if (this.seqLen < 0) {
      this.seqLen = click.length;
      this.click = new Int32Array(this.target.length * this.seqLen);
      this.trigger = new Int32Array(this.target.length * this.seqLen);
    }
    if (click.length !== this.seqLen || trigger.length > this.seqLen) {
      throw new DataError(
        'columns',
        `${file} row ${index + 1}: sequences have ${click.length} and ${trigger.length} ids, expected ${this.seqLen} as in the first row.`,
      );
    }
    const label = row[4].trim();
    if (label !== '0' && label !== '1') {
      throw new DataError('non-numeric', `${file} row ${index + 1}: label "${label}" is not 0 or 1.`);
    }
    if (this.count === this.target.length) this.grow();
    const n = this.count++;
    this.user.push(integerId(file, row[0], 'user_id', index));
    this.target[n] = Number(integerId(file, row[1], 'target_item', index));
    this.label[n] = Number(label);
    this.click.set(click, n * this.seqLen);
    this.trigger.set(trigger, n * this.seqLen);
  }

  private grow(): void {
    const size = this.target.length * 2;
    const grow = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T, per: number) => {
      const b = make(size * per);
      b.set(a);
      return b;
    };
    this.target = grow(this.target, (n) => new Int32Array(n), 1);
    this.label = grow(this.label, (n) => new Float32Array(n), 1);
    this.click = grow(this.click, (n) => new Int32Array(n), this.seqLen);
    this.trigger = grow(this.trigger, (n) => new Int32Array(n), this.seqLen);
  }
}

function ids(file: string, field: string, column: string, index: number): number[] {
  if (field.trim() === '') return [];
  return field.split(',').map((v) => Number(integerId(file, v, column, index)));
}

export async function parseDuetText(files: { train: TextFile; test: TextFile }, ctx: ParseContext = {}): Promise<DuetTextData> {
  const read = async (file: TextFile) => {
    const raw = new RawSamples();
    await streamFile(file, (rows, first) => rows.forEach((row, r) => raw.add(file.name, row, first + r)), ctx, {
      delimiter: ';',
      noQuotes: true,
    });
    if (raw.count === 0) throw new DataError('empty', `${file.name} has no samples.`);
    return raw;
  };
  const train = await read(files.train);
  const test = await read(files.test);
  if (train.seqLen !== test.seqLen) {
    throw new DataError('columns', `The train file's sequences have ${train.seqLen} ids, the test file's ${test.seqLen}.`);
  }
  return assemble(train, test);
}

function assemble(train: RawSamples, test: RawSamples): DuetTextData {
  const sourceIds = [...new Set([...train.user, ...test.user])].sort((a, b) => Number(a) - Number(b));
  const dense = new Map(sourceIds.map((id, u) => [id, u]));
  const numItems = Math.max(maxOf(train.target), maxOf(test.target), maxOf(train.click), maxOf(test.click), maxOf(train.trigger), maxOf(test.trigger));
  const isValid = validRows(train, dense);
  const trainRows: number[] = [];
  const validRowsList: number[] = [];
  for (let r = 0; r < train.count; r++) (isValid[r] ? validRowsList : trainRows).push(r);
  const testRows = Array.from({ length: test.count }, (_, r) => r);
  const trainSet = gather(train, trainRows, dense);
  const validSet = gather(train, validRowsList, dense);
  const testSet = gather(test, testRows, dense);

  const positives = [trainSet, validSet, testSet].flatMap((s) => Array.from(s.target.filter((_, r) => s.label[r] === 1)));
  const items: ItemMeta[] = [{ id: 0, title: '', genres: [], sourceId: '' }];
  for (let id = 1; id <= numItems; id++) items.push({ id, title: `Item ${id}`, genres: [], sourceId: String(id) });
  const testPositives = testSet.label.reduce((n, l) => n + l, 0);
  return {
    numItems,
    numUsers: sourceIds.length,
    items,
    train: trainSet,
    valid: validSet,
    test: testSet,
    options: {
      ...defaultPreprocessOptions,
      seqLen: train.seqLen,
      negatives: testPositives > 0 ? Math.round((testSet.count - testPositives) / testPositives) : 0,
      minUserInteractions: 0,
      minItemInteractions: 0,
    },
    stats: {
      users: sourceIds.length,
      items: numItems,
      interactions: positives.length,
      trainSamples: trainSet.count,
      validSamples: validSet.count,
      testSamples: testSet.count,
      meanHistory: positives.length / sourceIds.length,
      top10PctShare: top10PctShare(Int32Array.from(positives), numItems),
    },
  };
}

/** Marks each user's last positive in `raw` and the label-0 rows of that user right after it. */
function validRows(raw: RawSamples, dense: Map<string, number>): Uint8Array {
  const lastPositive = new Int32Array(dense.size).fill(-1);
  for (let r = 0; r < raw.count; r++) if (raw.label[r] === 1) lastPositive[dense.get(raw.user[r])!] = r;
  const marked = new Uint8Array(raw.count);
  for (const r of lastPositive) {
    if (r < 0) continue;
    marked[r] = 1;
    for (let k = r + 1; k < raw.count && raw.label[k] === 0 && raw.user[k] === raw.user[r]; k++) marked[k] = 1;
  }
  return marked;
}

/** Copies the given rows, stably grouped by dense user so per-user metrics can walk them. */
function gather(raw: RawSamples, rows: number[], dense: Map<string, number>): SampleSet {
  const L = raw.seqLen;
  const users = rows.map((r) => dense.get(raw.user[r])!);
  const order = rows.map((_, k) => k).sort((a, b) => users[a] - users[b] || a - b);
  const set = emptySampleSet(rows.length, L);
  order.forEach((k, n) => {
    const r = rows[k];
    set.user[n] = users[k];
    set.target[n] = raw.target[r];
    set.label[n] = raw.label[r];
    set.clickSeq.set(raw.click.subarray(r * L, r * L + L), n * L);
    set.triggerSeq.set(raw.trigger.subarray(r * L, r * L + L), n * L);
  });
  return set;
}

function maxOf(a: Int32Array): number {
  let m = 0;
  for (const v of a) if (v > m) m = v;
  return m;
}
