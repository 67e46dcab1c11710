// The reference's own sample files (docs/method.md, "Samples"), rows kept as given:
// `user_id;target_item;trigger_seq;click_seq;label`, one train and one test file. Ids are
// whole numbers below 2^31, remapped densely (items 1..n in numeric order, 0 stays padding).
// Validation: each user's latest cloud-period positive with the label-0 rows that share its
// sequences moves out of train, found whatever the line order (see latestPositive).
import { defaultPreprocessOptions } from '../preprocess';
import { emptySampleSet } from '../samples';
import { top10PctShare } from '../stats';
import type { Dataset, ItemMeta, SampleSet } from '../types';
import { DataError } from '../types';
import type { ParseContext, TextFile } from './shared';
import { requireFieldCount, streamFile } from './shared';

export type DuetTextData = Omit<Dataset, 'id' | 'name' | 'format' | 'createdAt'>;

const MAX_ID = 2 ** 31 - 1;

/** Rows as read, with source ids; grows its typed arrays. */
class RawSamples {
  count = 0;
  seqLen = -1;
  user = new Int32Array(256);
  target = new Int32Array(256);
  label = new Float32Array(256);
  click = new Int32Array(0);
  trigger = new Int32Array(0);

  constructor(readonly file: string) {}

  add(row: string[], index: number): void {
    const file = this.file;
    requireFieldCount(file, row, index, 5, 'user_id;target_item;trigger_seq;click_seq;label');
    const trigger = ids(file, row[2], 'trigger_seq', index);
    const click = ids(file, row[3], 'click_seq', index);
    if (this.seqLen < 0) {
      if (click.length === 0)
        throw new DataError('columns', `${file} row ${index + 1}: click_seq is empty; sequences need at least one id (0 pads).`);
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
    const target = id(file, row[1], 'target_item', index);
    if (target === 0) throw new DataError('bad-id', `${file} row ${index + 1}: target_item is 0, which is the padding id.`);
    if (this.count === this.target.length) this.grow();
    const n = this.count++;
    this.user[n] = id(file, row[0], 'user_id', index);
    this.target[n] = target;
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
    this.user = grow(this.user, (n) => new Int32Array(n), 1);
    this.target = grow(this.target, (n) => new Int32Array(n), 1);
    this.label = grow(this.label, (n) => new Float32Array(n), 1);
    this.click = grow(this.click, (n) => new Int32Array(n), this.seqLen);
    this.trigger = grow(this.trigger, (n) => new Int32Array(n), this.seqLen);
  }
}

function id(file: string, value: string, column: string, index: number): number {
  const v = value.trim();
  if (!/^\d+$/.test(v))
    throw new DataError('non-numeric', `${file} row ${index + 1}: ${column} "${v.slice(0, 40)}" is not a whole number.`);
  const n = Number(v);
  if (n > MAX_ID)
    throw new DataError('bad-id', `${file} row ${index + 1}: ${column} ${v} is too large (ids must be below 2^31 = 2147483648).`);
  return n;
}

function ids(file: string, field: string, column: string, index: number): number[] {
  if (field.trim() === '') return [];
  return field.split(',').map((v) => id(file, v, column, index));
}

export async function parseDuetText(files: { train: TextFile; test: TextFile }, ctx: ParseContext = {}): Promise<DuetTextData> {
  const read = async (file: TextFile) => {
    const raw = new RawSamples(file.name);
    await streamFile(file, (rows, first) => rows.forEach((row, r) => raw.add(row, first + r)), ctx, { delimiter: ';', noQuotes: true });
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

/** Source id -> dense index, in numeric order; `base` is the first dense id. */
function denseIds(arrays: Int32Array[], base: number, skipZero: boolean): { dense: Map<number, number>; source: number[] } {
  const seen = new Set<number>();
  for (const a of arrays) for (const v of a) if (!(skipZero && v === 0)) seen.add(v);
  const source = [...seen].sort((a, b) => a - b);
  return { dense: new Map(source.map((v, k) => [v, k + base])), source };
}

function assemble(train: RawSamples, test: RawSamples): DuetTextData {
  const used = (r: RawSamples) => [r.user.subarray(0, r.count)];
  const users = denseIds([...used(train), ...used(test)], 0, false);
  const itemArrays = [train, test].flatMap((r) => [
    r.target.subarray(0, r.count),
    r.click.subarray(0, r.count * r.seqLen),
    r.trigger.subarray(0, r.count * r.seqLen),
  ]);
  const items = denseIds(itemArrays, 1, true);
  for (const r of [train, test]) {
    for (let k = 0; k < r.count; k++) {
      r.user[k] = users.dense.get(r.user[k])!;
      r.target[k] = items.dense.get(r.target[k])!;
    }
    for (const seq of [r.click, r.trigger])
      for (let k = 0; k < r.count * r.seqLen; k++) if (seq[k] !== 0) seq[k] = items.dense.get(seq[k])!;
  }
  const numUsers = users.source.length;
  const numItems = items.source.length;

  const { marked, groups, withBothClasses } = validationRows(train, numUsers);
  const warnings: string[] = [];
  const degenerate = withBothClasses < groups / 2;
  if (degenerate) {
    warnings.push(
      `Validation is degenerate: only ${withBothClasses} of ${groups} users have a positive and a negative in their ` +
        `latest train group, so validation UAUC cannot choose an epoch. Those rows stay in train and the last epoch is kept.`,
    );
  }
  const trainRows: number[] = [];
  const validRowsList: number[] = [];
  for (let r = 0; r < train.count; r++) (marked[r] && !degenerate ? validRowsList : trainRows).push(r);
  if (trainRows.length === 0) {
    throw new DataError(
      'too-small',
      `${train.file} has no training sample left once each user's latest positive is held out for validation: ` +
        'it needs more than one positive per user.',
    );
  }
  const trainSet = gather(train, trainRows);
  const validSet = gather(train, validRowsList);
  const testSet = gather(
    test,
    Array.from({ length: test.count }, (_, r) => r),
  );

  const positivesOf = (s: SampleSet) => s.label.reduce((n, l) => n + l, 0);
  const positives = [trainSet, validSet, testSet].flatMap((s) => Array.from(s.target.filter((_, r) => s.label[r] === 1)));
  const itemTable: ItemMeta[] = [{ id: 0, title: '', genres: [], sourceId: '' }];
  items.source.forEach((source, k) => itemTable.push({ id: k + 1, title: `Item ${source}`, genres: [], sourceId: String(source) }));
  const testPositives = positivesOf(testSet);
  return {
    numItems,
    numUsers,
    items: itemTable,
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
      users: numUsers,
      items: numItems,
      interactions: positives.length,
      trainSamples: trainSet.count,
      validSamples: validSet.count,
      testSamples: testSet.count,
      trainPositives: positivesOf(trainSet),
      validPositives: positivesOf(validSet),
      testPositives,
      droppedUsers: 0,
      droppedItems: 0,
      meanHistory: positives.length / Math.max(numUsers, 1),
      top10PctShare: top10PctShare(Int32Array.from(positives), numItems),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
  };
}

/** Number of non-padding ids in row r's click sequence, and the last of them. */
function clickTail(raw: RawSamples, r: number): { length: number; last: number } {
  const L = raw.seqLen;
  let length = 0;
  let last = 0;
  for (let j = 0; j < L; j++) {
    const v = raw.click[r * L + j];
    if (v !== 0) {
      length++;
      last = v;
    }
  }
  return { length, last };
}

/**
 * Each user's latest positive: the one with the longest click sequence; among equally long
 * ones (sequences are capped, so many reach the cap) the one whose target is not the last
 * click of another positive of that user (a later positive has it as its last click);
 * remaining ties go to the later line. Its label-0 rows are those with the same sequences.
 */
function validationRows(raw: RawSamples, numUsers: number): { marked: Uint8Array; groups: number; withBothClasses: number } {
  const byUser: number[][] = Array.from({ length: numUsers }, () => []);
  for (let r = 0; r < raw.count; r++) if (raw.label[r] === 1) byUser[raw.user[r]].push(r);
  const latest = new Int32Array(numUsers).fill(-1);
  for (let u = 0; u < numUsers; u++) {
    const rows = byUser[u];
    if (rows.length === 0) continue;
    const tails = rows.map((r) => clickTail(raw, r));
    const longest = tails.reduce((m, t) => Math.max(m, t.length), 0);
    const lastClicks = new Set(tails.map((t) => t.last));
    let best = -1;
    let bestIsEnd = false;
    rows.forEach((r, k) => {
      if (tails[k].length !== longest) return;
      const isEnd = !lastClicks.has(raw.target[r]);
      if (best < 0 || (isEnd && !bestIsEnd) || isEnd === bestIsEnd) {
        best = r;
        bestIsEnd = isEnd;
      }
    });
    latest[u] = best;
  }
  const L = raw.seqLen;
  const sameSequences = (a: number, b: number) => {
    for (let j = 0; j < L; j++)
      if (raw.click[a * L + j] !== raw.click[b * L + j] || raw.trigger[a * L + j] !== raw.trigger[b * L + j]) return false;
    return true;
  };
  const marked = new Uint8Array(raw.count);
  const hasNegative = new Uint8Array(numUsers);
  for (let r = 0; r < raw.count; r++) {
    const u = raw.user[r];
    const p = latest[u];
    if (p < 0) continue;
    if (r === p) marked[r] = 1;
    else if (raw.label[r] === 0 && sameSequences(r, p)) {
      marked[r] = 1;
      hasNegative[u] = 1;
    }
  }
  let groups = 0;
  let withBothClasses = 0;
  for (let u = 0; u < numUsers; u++) {
    if (latest[u] < 0) continue;
    groups++;
    withBothClasses += hasNegative[u];
  }
  return { marked, groups, withBothClasses };
}

/** Copies the given rows, stably grouped by dense user so per-user metrics can walk them. */
function gather(raw: RawSamples, rows: number[]): SampleSet {
  const L = raw.seqLen;
  const order = rows.map((_, k) => k).sort((a, b) => raw.user[rows[a]] - raw.user[rows[b]] || a - b);
  const set = emptySampleSet(rows.length, L);
  order.forEach((k, n) => {
    const r = rows[k];
    set.user[n] = raw.user[r];
    set.target[n] = raw.target[r];
    set.label[n] = raw.label[r];
    set.clickSeq.set(raw.click.subarray(r * L, r * L + L), n * L);
    set.triggerSeq.set(raw.trigger.subarray(r * L, r * L + L), n * L);
  });
  return set;
}
