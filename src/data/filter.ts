// Filtering and dense reindexing: the first half of preprocessing (docs/method.md, "Samples").
import type { ParsedInteractions } from './parsed';
import type { UserHistories } from './types';
import { DataError } from './types';

export interface FilterThresholds {
  minUserInteractions: number;
  minItemInteractions: number;
}

export interface FilteredHistories {
  numUsers: number;
  numItems: number;
  /** Time-ordered histories of dense item ids; devicePeriodStart is left for the caller. */
  offsets: Int32Array;
  items: Int32Array;
  /** Source user ids, index = dense user index. */
  userSourceIds: string[];
  /** [numItems + 1] dense item id -> index into parsed.itemIds; -1 at the padding id 0. */
  itemSource: Int32Array;
  /** Rows dropped as exact duplicates of an earlier row (same user, item and time). */
  duplicates: number;
}

/**
 * Sorts each user's rows by time (ties in file order), drops exact duplicates (same user,
 * item and time), then drops users and items below the thresholds, repeating until nothing
 * changes (a k-core: dropping an item can push a user below its threshold and vice versa),
 * and numbers the survivors densely in source order.
 */
export function filterInteractions(parsed: ParsedInteractions, t: FilterThresholds): FilteredHistories {
  const { count, user, item, time } = parsed;
  const numSourceUsers = parsed.userIds.length;
  // Rows grouped by source user, each group in time order.
  const groupStart = new Int32Array(numSourceUsers + 1);
  for (let i = 0; i < count; i++) groupStart[user[i] + 1]++;
  for (let u = 0; u < numSourceUsers; u++) groupStart[u + 1] += groupStart[u];
  const grouped = new Int32Array(count);
  const cursor = groupStart.slice(0, numSourceUsers);
  for (let i = 0; i < count; i++) grouped[cursor[user[i]]++] = i;
  const alive = new Uint8Array(count).fill(1);
  let duplicates = 0;
  for (let u = 0; u < numSourceUsers; u++) {
    const rows = grouped.subarray(groupStart[u], groupStart[u + 1]);
    if (!inTimeOrder(rows, time)) rows.sort((a, b) => time[a] - time[b] || a - b);
    duplicates += markDuplicates(rows, time, item, alive);
  }

  const userCount = new Int32Array(numSourceUsers);
  const itemCount = new Int32Array(parsed.itemIds.length);
  let firstPassUsers = -1;
  for (;;) {
    userCount.fill(0);
    itemCount.fill(0);
    for (let i = 0; i < count; i++) {
      if (!alive[i]) continue;
      userCount[user[i]]++;
      itemCount[item[i]]++;
    }
    if (firstPassUsers < 0) firstPassUsers = countAtLeast(userCount, t.minUserInteractions);
    let removed = 0;
    for (let i = 0; i < count; i++) {
      if (alive[i] && (userCount[user[i]] < t.minUserInteractions || itemCount[item[i]] < t.minItemInteractions)) {
        alive[i] = 0;
        removed++;
      }
    }
    if (removed === 0) break;
  }
  const survivingUsers = countAtLeast(userCount, 1);
  if (survivingUsers === 0) {
    const users = `${firstPassUsers} of ${parsed.userIds.length} users have at least ${t.minUserInteractions} interactions`;
    const reason =
      firstPassUsers === 0
        ? `${users}.`
        : `${users}, and none is left once items with fewer than ${t.minItemInteractions} interactions are dropped.`;
    throw new DataError('too-small', `This dataset is too small: ${reason} Import a larger dataset or lower the thresholds.`);
  }

  const userOrder = sourceOrder(parsed.userIds, userCount);
  const itemOrder = sourceOrder(parsed.itemIds, itemCount);
  const denseItem = denseIndex(itemOrder, parsed.itemIds.length, 1);

  const numUsers = userOrder.length;
  const offsets = new Int32Array(numUsers + 1);
  userOrder.forEach((source, u) => (offsets[u + 1] = offsets[u] + userCount[source]));
  const items = new Int32Array(offsets[numUsers]);
  userOrder.forEach((source, u) => {
    let k = offsets[u];
    for (let g = groupStart[source]; g < groupStart[source + 1]; g++) {
      const i = grouped[g];
      if (alive[i]) items[k++] = denseItem[item[i]];
    }
  });

  const itemSource = new Int32Array(itemOrder.length + 1);
  itemSource[0] = -1;
  itemOrder.forEach((source, k) => (itemSource[k + 1] = source));
  return {
    numUsers,
    numItems: itemOrder.length,
    offsets,
    items,
    userSourceIds: userOrder.map((i) => parsed.userIds[i]),
    itemSource,
    duplicates,
  };
}

function inTimeOrder(rows: Int32Array, time: Float64Array): boolean {
  for (let k = 1; k < rows.length; k++)
    if (time[rows[k]] < time[rows[k - 1]] || (time[rows[k]] === time[rows[k - 1]] && rows[k] < rows[k - 1])) return false;
  return true;
}

/** Within each run of equal times, marks later rows of an item already seen as dead; returns how many. */
function markDuplicates(rows: Int32Array, time: Float64Array, item: Int32Array, alive: Uint8Array): number {
  let dropped = 0;
  for (let start = 0; start < rows.length;) {
    let end = start + 1;
    while (end < rows.length && time[rows[end]] === time[rows[start]]) end++;
    for (let k = start + 1; k < end; k++) {
      for (let j = start; j < k; j++) {
        if (alive[rows[j]] && item[rows[j]] === item[rows[k]]) {
          alive[rows[k]] = 0;
          dropped++;
          break;
        }
      }
    }
    start = end;
  }
  return dropped;
}

/** Marks the last `devicePeriod` interactions of each user as the device period. */
export function toUserHistories(f: FilteredHistories, devicePeriod: number): UserHistories {
  const devicePeriodStart = new Int32Array(f.numUsers);
  for (let u = 0; u < f.numUsers; u++) devicePeriodStart[u] = f.offsets[u + 1] - devicePeriod;
  return { offsets: f.offsets, items: f.items, devicePeriodStart, sourceIds: f.userSourceIds };
}

function countAtLeast(counts: Int32Array, min: number): number {
  let n = 0;
  for (const c of counts) if (c >= min) n++;
  return n;
}

/** Survivors (count > 0) in numeric order when every id is a number, else in order of first appearance. */
function sourceOrder(ids: string[], counts: Int32Array): number[] {
  const kept: number[] = [];
  for (let i = 0; i < ids.length; i++) if (counts[i] > 0) kept.push(i);
  if (kept.every((i) => /^\d+$/.test(ids[i]))) kept.sort((a, b) => Number(ids[a]) - Number(ids[b]) || a - b);
  return kept;
}

function denseIndex(order: number[], size: number, base: number): Int32Array {
  const dense = new Int32Array(size).fill(-1);
  order.forEach((source, k) => (dense[source] = k + base));
  return dense;
}
