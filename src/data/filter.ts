// Filtering and dense reindexing: the first half of preprocessing (DUET.md, sample format).
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
}

/**
 * Drops users and items below the thresholds, repeating until nothing changes
 * (a k-core: dropping an item can push a user below its threshold and vice versa),
 * then numbers the survivors densely in source order and sorts each history by time,
 * ties kept in file order.
 */
export function filterInteractions(parsed: ParsedInteractions, t: FilterThresholds): FilteredHistories {
  const { count, user, item } = parsed;
  const alive = new Uint8Array(count).fill(1);
  const userCount = new Int32Array(parsed.userIds.length);
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
  const denseUser = denseIndex(userOrder, parsed.userIds.length, 0);
  const denseItem = denseIndex(itemOrder, parsed.itemIds.length, 1);

  const numUsers = userOrder.length;
  const offsets = new Int32Array(numUsers + 1);
  for (let i = 0; i < count; i++) if (alive[i]) offsets[denseUser[user[i]] + 1]++;
  for (let u = 0; u < numUsers; u++) offsets[u + 1] += offsets[u];
  const order = new Int32Array(offsets[numUsers]);
  const cursor = offsets.slice(0, numUsers);
  for (let i = 0; i < count; i++) if (alive[i]) order[cursor[denseUser[user[i]]]++] = i;
  const { time } = parsed;
  for (let u = 0; u < numUsers; u++) {
    order.subarray(offsets[u], offsets[u + 1]).sort((a, b) => time[a] - time[b] || a - b);
  }
  const items = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) items[k] = denseItem[item[order[k]]];

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
  };
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
