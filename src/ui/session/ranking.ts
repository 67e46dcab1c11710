// Plain helpers over session lists: what the page shows beside each ranking.
import type { ItemMeta, SimulatedTruth } from '../../data/types';
import type { SessionRanking } from '../../../workers/api';

/** Bytes the device sends for one DUET request: the click sequence as int32. */
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

/**
 * The genre this session's clicks are about: the one most clicked items carry, ties going
 * to `prefer` (the genre the visitor filtered by or presents), then to the genre rarer in
 * the catalog (three Gothic novels that are also Romances are about Gothic). One genre keeps the marks and the chart sharp; empty before any click.
 */
export function dominantGenre(clicks: readonly number[], catalog: ItemMeta[], prefer = ''): string[] {
  const inClicks = new Map<string, number>();
  for (const id of new Set(clicks)) for (const g of catalog[id]?.genres ?? []) inClicks.set(g, (inClicks.get(g) ?? 0) + 1);
  if (!inClicks.size) return [];
  const inCatalog = new Map<string, number>();
  for (const item of catalog) for (const g of item?.genres ?? []) if (inClicks.has(g)) inCatalog.set(g, (inCatalog.get(g) ?? 0) + 1);
  const preferred = (g: string) => (g === prefer ? 0 : 1);
  const best = [...inClicks].sort(
    (a, b) =>
      b[1] - a[1] ||
      preferred(a[0]) - preferred(b[0]) ||
      (inCatalog.get(a[0]) ?? 0) - (inCatalog.get(b[0]) ?? 0) ||
      a[0].localeCompare(b[0]),
  );
  return [best[0][0]];
}

/** The genres of the clicked items, in click order, each once. */
export function clickedGenres(clicks: readonly number[], catalog: ItemMeta[]): string[] {
  return [...new Set(clicks.flatMap((id) => catalog[id]?.genres ?? []))];
}

/** A simulated user's strongest device-period interests: the genres that matter to them now. */
export function interestGenres(truth: SimulatedTruth, userIndex: number, count = 3): string[] {
  const row = truth.deviceInterest[userIndex];
  if (!row) return [];
  return truth.genres
    .map((g, i) => ({ g, w: row[i] ?? 0 }))
    .filter((x) => x.w > 0)
    .sort((a, b) => b.w - a.w)
    .slice(0, count)
    .map((x) => x.g);
}

export function matchesGenres(item: ItemMeta | undefined, target: ReadonlySet<string>): boolean {
  return Boolean(item && item.genres.some((g) => target.has(g)));
}

/** Share of a list's items having at least one of the target genres (0 for an empty list). */
export function matchShare(itemIds: readonly number[], catalog: ItemMeta[], target: ReadonlySet<string>): number {
  if (!itemIds.length) return 0;
  return itemIds.filter((id) => matchesGenres(catalog[id], target)).length / itemIds.length;
}

/** The p-th percentile (0..100) by nearest rank; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** A stable hue per genre (its place in the sorted genre list), so a genre keeps its colour. */
export function genreHue(genre: string, genres: readonly string[]): number {
  const i = genres.indexOf(genre);
  if (i < 0) return 0;
  // Golden-angle steps keep neighbours in the list far apart on the colour wheel.
  return Math.round((i * 137.508) % 360);
}
