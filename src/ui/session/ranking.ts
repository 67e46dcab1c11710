// Plain helpers over session lists: what the page shows beside each ranking.
import type { ItemMeta } from '../../data/types';
import type { SessionRanking } from '../../../workers/api';

/** Bytes the device sends for one DUET request: the click sequence as int32 (DUET.md). */
export function bytesUp(sequenceLength: number): number {
  return 4 * sequenceLength;
}

/** Position change of an item between two top-k lists: +n moved up, null when new. */
export function rankChange(itemId: number, position: number, before: SessionRanking | undefined): number | null | undefined {
  if (!before) return undefined;
  const was = before.top.findIndex((r) => r.itemId === itemId);
  return was < 0 ? null : was - position;
}

/** Share of each genre among a list's items (an item's genres split its weight). */
export function genreMix(itemIds: number[], catalog: ItemMeta[]): Map<string, number> {
  const mix = new Map<string, number>();
  for (const id of itemIds) {
    const genres = catalog[id]?.genres ?? [];
    for (const g of genres) mix.set(g, (mix.get(g) ?? 0) + 1 / genres.length / itemIds.length);
  }
  return mix;
}
