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
  /** Rows left out while reading because their time is impossible (negative, or after the import). */
  badTimestamps?: number;
}

export interface BuilderOptions {
  /**
   * Times are clock times in this unit: rows before 1970 or after now are dropped and
   * counted. Unset for formats whose time is a line number.
   */
  clock?: 'seconds' | 'milliseconds' | 'auto';
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
  private latest: number;
  private readonly autoClock: boolean;
  private badTimestamps = 0;

  constructor(options: BuilderOptions = {}) {
    const now = Date.now() + 86_400_000; // a day of slack for clocks and time zones
    this.latest = options.clock === 'seconds' ? now / 1000 : options.clock === 'milliseconds' ? now : Infinity;
    this.autoClock = options.clock === 'auto';
  }

  get size(): number {
    return this.count;
  }

  /** 'auto' clocks: the first plausible time decides (past 1e11 no time in seconds is plausible, so milliseconds). */
  add(userId: string, itemId: string, time: number): void {
    if (this.autoClock && time >= 0 && this.latest === Infinity) {
      const now = Date.now() + 86_400_000;
      this.latest = time > 1e11 ? now : now / 1000;
    }
    if (!(time >= 0 && time <= this.latest)) {
      this.badTimestamps++;
      return;
    }
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
      badTimestamps: this.badTimestamps,
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
