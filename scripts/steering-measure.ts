// The pure parts of the steering benchmark (scripts/steering.ts, docs/steering.md): how much of a
// top-10 lies in a genre or inside a set of genres, a mean with its 95% interval, and the
// summary the benchmark writes as JSON. No engine, no files: unit-tested on tiny cases.

export const METHODS = ['base', 'finetune', 'duet'] as const;
export type SteeringMethod = (typeof METHODS)[number];

/**
 * Share of a list in `genre`: an item with n genres counts 1/n if one of them is `genre`
 * (so a list of ten single-genre items of that genre scores 1, and a mixed one less).
 */
export function genreShare(itemGenres: (id: number) => readonly string[], list: readonly number[], genre: string): number {
  return insideShare(itemGenres, list, new Set([genre]));
}

/** Share of a list inside a set of genres, with the same 1/n credit per genre of an item. */
export function insideShare(itemGenres: (id: number) => readonly string[], list: readonly number[], inside: ReadonlySet<string>): number {
  if (list.length === 0) return 0;
  let credit = 0;
  for (const id of list) {
    const genres = itemGenres(id);
    if (genres.length === 0) continue;
    credit += genres.filter((g) => inside.has(g)).length / genres.length;
  }
  return credit / list.length;
}

/**
 * The genres a user truly cares about in the device period: weight >= threshold in truth.json.
 * With the default dataset's story (75% on 1-2 new genres, 20% on the old favourites) a
 * threshold of 0.1 keeps the new genres and the main old favourites, and drops the thin
 * background spread over every other genre.
 */
export function deviceGenres(genres: readonly string[], weights: readonly number[], threshold: number): Set<string> {
  return new Set(genres.filter((_, g) => weights[g] >= threshold));
}

export interface MeanCi {
  mean: number;
  ci95: [number, number];
}

/** Mean and normal-approximation 95% interval (mean +- 1.96 standard errors); a single value has a zero-width interval. */
export function meanCi95(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, ci95: [Number.NaN, Number.NaN] };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  const half = 1.96 * Math.sqrt(variance / n);
  return { mean, ci95: [mean - half, mean + half] };
}

/** One measured draw: the genre clicked and each method's gain (share after - share before). */
export interface DrawGain {
  genre: string;
  gains: Record<SteeringMethod, number>;
}

export interface MethodSummary {
  mean_gain: number;
  ci95: [number, number];
  /** Genres whose mean gain is strictly above Base's (0 for Base itself). */
  genres_won_vs_base: number;
}

export interface SteeringBlock {
  summary: Record<string, MethodSummary>;
  genres: Record<string, Record<string, number>>;
}

/** Summary over all draws, per-genre means, and genres won against Base, for the methods measured. */
export function summarize(draws: readonly DrawGain[], methods: readonly SteeringMethod[] = METHODS): SteeringBlock {
  const genreNames = [...new Set(draws.map((d) => d.genre))].sort();
  const genres: Record<string, Record<string, number>> = {};
  for (const genre of genreNames) {
    const mine = draws.filter((d) => d.genre === genre);
    genres[genre] = Object.fromEntries(methods.map((m) => [m, meanCi95(mine.map((d) => d.gains[m])).mean]));
  }
  const summary: Record<string, MethodSummary> = {};
  for (const m of methods) {
    const { mean, ci95 } = meanCi95(draws.map((d) => d.gains[m]));
    const won = m === 'base' ? 0 : genreNames.filter((g) => genres[g][m] > genres[g].base).length;
    summary[m] = { mean_gain: mean, ci95, genres_won_vs_base: won };
  }
  return { summary, genres };
}

/** The printed table: one row per genre, then the summary rows. */
export function formatTable(title: string, block: SteeringBlock, methods: readonly SteeringMethod[] = METHODS): string {
  const f = (v: number) => (v >= 0 ? '+' : '') + v.toFixed(3);
  const lines = [`| ${title} | ${methods.join(' | ')} |`, `|---|${methods.map(() => '---:').join('|')}|`];
  for (const [genre, gains] of Object.entries(block.genres)) lines.push(`| ${genre} | ${methods.map((m) => f(gains[m])).join(' | ')} |`);
  lines.push(`| **mean gain** | ${methods.map((m) => f(block.summary[m].mean_gain)).join(' | ')} |`);
  lines.push(
    `| 95% CI | ${methods.map((m) => `${block.summary[m].ci95[0].toFixed(3)} .. ${block.summary[m].ci95[1].toFixed(3)}`).join(' | ')} |`,
  );
  const genreCount = Object.keys(block.genres).length;
  lines.push(
    `| genres won vs Base | ${methods.map((m) => (m === 'base' ? '-' : `${block.summary[m].genres_won_vs_base}/${genreCount}`)).join(' | ')} |`,
  );
  return lines.join('\n');
}
