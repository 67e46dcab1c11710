// Interactions as the importers hand them to preprocessing: raw, unfiltered, source ids
// interned to small integers so millions of rows stay in typed arrays.
import type { ItemMeta } from './types';

/** What a source file says about an item, before it has a dense id. */
export type SourceItemMeta = Omit<ItemMeta, 'id' | 'sourceId'>;

export interface ParsedInteractions {
  count: number;
  /** [count] index into userIds */
  user: Int32Array;
  /** [count] index into itemIds */
  item: Int32Array;
  /** [count] time of the interaction; the line number where the source has no time */
  time: Float64Array;
  userIds: string[];
  itemIds: string[];
  /** Titles, genres, ... by source item id, when the source has them. */
  itemMeta?: Map<string, SourceItemMeta>;
}

/** Grows typed arrays as rows arrive, so a parser never holds rows as objects. */
export class InteractionsBuilder {
  private user = new Int32Array(1024);
  private item = new Int32Array(1024);
  private time = new Float64Array(1024);
  private count = 0;
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();
  private readonly userIds: string[] = [];
  private readonly itemIds: string[] = [];

  get size(): number {
    return this.count;
  }

  add(userId: string, itemId: string, time: number): void {
    if (this.count === this.user.length) this.grow();
    this.user[this.count] = intern(userId, this.userIndex, this.userIds);
    this.item[this.count] = intern(itemId, this.itemIndex, this.itemIds);
    this.time[this.count] = time;
    this.count++;
  }

  build(itemMeta?: Map<string, SourceItemMeta>): ParsedInteractions {
    return {
      count: this.count,
      user: this.user.slice(0, this.count),
      item: this.item.slice(0, this.count),
      time: this.time.slice(0, this.count),
      userIds: this.userIds,
      itemIds: this.itemIds,
      itemMeta,
    };
  }

  private grow(): void {
    const size = this.user.length * 2;
    const user = new Int32Array(size);
    const item = new Int32Array(size);
    const time = new Float64Array(size);
    user.set(this.user);
    item.set(this.item);
    time.set(this.time);
    this.user = user;
    this.item = item;
    this.time = time;
  }
}

function intern(id: string, index: Map<string, number>, ids: string[]): number {
  let i = index.get(id);
  if (i === undefined) {
    i = ids.length;
    index.set(id, i);
    ids.push(id);
  }
  return i;
}
