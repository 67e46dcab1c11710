// Statistics of a dataset in the default format, measured from its CSV text alone.
import Papa from 'papaparse';

export interface ShiftMeasure {
  /** Mean over users of TV(genre histogram of the cloud period, of the device period). */
  deviceVsCloud: number;
  /** Control: mean TV between the first and second half of the cloud period. */
  cloudHalves: number;
  /** Control of the same sizes: the cloud period's last `devicePeriod` clicks vs the rest of it. */
  cloudTailVsRest: number;
}

export interface DefaultDatasetStats {
  users: number;
  items: number;
  interactions: number;
  meanHistory: number;
  minHistory: number;
  maxHistory: number;
  minItemInteractions: number;
  /** Share of interactions on the 10% most interacted items. */
  top10PctShare: number;
  /** Interactions per genre; an item with k genres adds 1/k to each. */
  genreCounts: Record<string, number>;
  shift: ShiftMeasure;
  /** Share of consecutive clicks by the same creator, and the same share were each history shuffled. */
  sameCreatorNext: number;
  sameCreatorShuffled: number;
}

interface ParsedItems {
  genresOf: Map<number, string[]>;
  creatorOf: Map<number, string>;
  genres: string[];
}

function parseItems(itemsCsv: string): ParsedItems {
  const rows = Papa.parse<Record<string, string>>(itemsCsv.trim(), { header: true }).data;
  const genresOf = new Map<number, string[]>();
  const creatorOf = new Map<number, string>();
  const genres = new Set<string>();
  for (const row of rows) {
    const list = row.genres ? row.genres.split('|') : [];
    list.forEach((g) => genres.add(g));
    genresOf.set(Number(row.item_id), list);
    creatorOf.set(Number(row.item_id), row.creator ?? '');
  }
  return { genresOf, creatorOf, genres: [...genres].sort() };
}

/** Histories in file order (the file is sorted by user, then time). */
function parseHistories(interactionsCsv: string): Map<number, number[]> {
  const rows = Papa.parse<string[]>(interactionsCsv.trim(), { header: false }).data.slice(1);
  const histories = new Map<number, number[]>();
  for (const [user, item] of rows) {
    const id = Number(user);
    let history = histories.get(id);
    if (!history) histories.set(id, (history = []));
    history.push(Number(item));
  }
  return histories;
}

export function measureDataset(itemsCsv: string, interactionsCsv: string, devicePeriod = 10): DefaultDatasetStats {
  const { genresOf, creatorOf, genres } = parseItems(itemsCsv);
  const histories = parseHistories(interactionsCsv);
  const genreIndex = new Map(genres.map((g, i) => [g, i]));

  const histogram = (items: number[]): number[] => {
    const counts = new Array<number>(genres.length).fill(0);
    for (const item of items) {
      const list = genresOf.get(item) ?? [];
      for (const g of list) counts[genreIndex.get(g)!] += 1 / list.length;
    }
    return counts;
  };

  const itemCounts = new Map<number, number>();
  const lengths: number[] = [];
  const shift = { deviceVsCloud: 0, cloudHalves: 0, cloudTailVsRest: 0 };
  const totals = new Array<number>(genres.length).fill(0);
  let pairs = 0;
  let sameCreatorNext = 0;
  let sameCreatorShuffled = 0;
  for (const history of histories.values()) {
    lengths.push(history.length);
    const creators = history.map((item) => creatorOf.get(item) ?? '');
    const n = creators.length;
    const perCreator = new Map<string, number>();
    creators.forEach((c, i) => {
      perCreator.set(c, (perCreator.get(c) ?? 0) + 1);
      if (i > 0 && c === creators[i - 1]) sameCreatorNext++;
    });
    // In a random order, each of the n-1 adjacent pairs matches with chance sum n_c(n_c-1) / n(n-1).
    let matching = 0;
    perCreator.forEach((k) => (matching += k * (k - 1)));
    if (n > 1) sameCreatorShuffled += (n - 1) * (matching / (n * (n - 1)));
    pairs += Math.max(n - 1, 0);
    history.forEach((item) => itemCounts.set(item, (itemCounts.get(item) ?? 0) + 1));
    histogram(history).forEach((c, g) => (totals[g] += c));
    const cloud = history.slice(0, -devicePeriod);
    const half = Math.floor(cloud.length / 2);
    shift.deviceVsCloud += totalVariation(histogram(cloud), histogram(history.slice(-devicePeriod)));
    shift.cloudHalves += totalVariation(histogram(cloud.slice(0, half)), histogram(cloud.slice(half)));
    shift.cloudTailVsRest += totalVariation(histogram(cloud.slice(0, -devicePeriod)), histogram(cloud.slice(-devicePeriod)));
  }
  const users = histories.size;
  const interactions = lengths.reduce((a, b) => a + b, 0);
  const sortedCounts = [...itemCounts.values()].sort((a, b) => b - a);
  const numItems = genresOf.size;
  const top = sortedCounts.slice(0, Math.ceil(numItems / 10)).reduce((a, b) => a + b, 0);

  return {
    users,
    items: numItems,
    interactions,
    meanHistory: interactions / users,
    minHistory: Math.min(...lengths),
    maxHistory: Math.max(...lengths),
    minItemInteractions: itemCounts.size < numItems ? 0 : Math.min(...itemCounts.values()),
    top10PctShare: top / interactions,
    genreCounts: Object.fromEntries(genres.map((g, i) => [g, Math.round(totals[i])])),
    shift: {
      deviceVsCloud: shift.deviceVsCloud / users,
      cloudHalves: shift.cloudHalves / users,
      cloudTailVsRest: shift.cloudTailVsRest / users,
    },
    sameCreatorNext: sameCreatorNext / pairs,
    sameCreatorShuffled: sameCreatorShuffled / pairs,
  };
}

/** Total-variation distance between two histograms, each normalised to sum 1; 0 if either is empty. */
export function totalVariation(a: number[], b: number[]): number {
  const sa = a.reduce((x, y) => x + y, 0);
  const sb = b.reduce((x, y) => x + y, 0);
  if (sa === 0 || sb === 0) return 0;
  return 0.5 * a.reduce((sum, x, i) => sum + Math.abs(x / sa - b[i] / sb), 0);
}

/** A Markdown report, as printed by `npm run dataset` and pasted into datasets/README.md. */
export function formatStats(stats: DefaultDatasetStats): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    '| statistic | value |',
    '| --- | --- |',
    `| users | ${stats.users} |`,
    `| items | ${stats.items} |`,
    `| interactions | ${stats.interactions} |`,
    `| history length: mean / min / max | ${stats.meanHistory.toFixed(1)} / ${stats.minHistory} / ${stats.maxHistory} |`,
    `| fewest interactions on an item | ${stats.minItemInteractions} |`,
    `| share of interactions on the top 10% items | ${pct(stats.top10PctShare)} |`,
    `| genre shift, cloud vs device period (mean TV distance) | ${stats.shift.deviceVsCloud.toFixed(3)} |`,
    `| control: first vs second half of the cloud period | ${stats.shift.cloudHalves.toFixed(3)} |`,
    `| control: last 10 cloud clicks vs the rest of the cloud period | ${stats.shift.cloudTailVsRest.toFixed(3)} |`,
    `| consecutive clicks on the same creator (same histories shuffled) | ${pct(stats.sameCreatorNext)} (${pct(stats.sameCreatorShuffled)}) |`,
    '',
    '| genre | interactions |',
    '| --- | --- |',
    ...Object.entries(stats.genreCounts)
      .sort((a, b) => b[1] - a[1])
      .map(([genre, count]) => `| ${genre} | ${count} |`),
  ];
  return lines.join('\n');
}
