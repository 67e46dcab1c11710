import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OUT_DIR, DEFAULT_SEED, generateDefaultDataset, type DefaultDatasetFiles } from '../../datasets/generate.ts';
import { measureDataset, type DefaultDatasetStats } from '../../datasets/stats.ts';
import { DEVICE_START } from '../../datasets/timeline.ts';

const DEVICE_PERIOD = 10;

let files: DefaultDatasetFiles;
let stats: DefaultDatasetStats;
let interactions: number[][];

beforeAll(() => {
  files = generateDefaultDataset(DEFAULT_SEED);
  stats = measureDataset(files.itemsCsv, files.interactionsCsv, DEVICE_PERIOD);
  interactions = Papa.parse<string[]>(files.interactionsCsv.trim())
    .data.slice(1)
    .map((row) => row.map(Number));
});

describe('generateDefaultDataset', () => {
  it('is byte-identical for the same seed', () => {
    const again = generateDefaultDataset(DEFAULT_SEED);
    expect(again.itemsCsv).toBe(files.itemsCsv);
    expect(again.interactionsCsv).toBe(files.interactionsCsv);
    expect(again.truthJson).toBe(files.truthJson);
  });

  it('changes the users, not the catalog, with another seed', () => {
    const other = generateDefaultDataset(DEFAULT_SEED + 1);
    expect(other.itemsCsv).toBe(files.itemsCsv);
    expect(other.interactionsCsv).not.toBe(files.interactionsCsv);
    expect(other.truthJson).not.toBe(files.truthJson);
  });

  it('matches the committed files in datasets/default (run `npm run dataset` after changing the generator)', () => {
    const read = (name: string) => readFileSync(join(DEFAULT_OUT_DIR, name), 'utf8');
    expect(read('items.csv')).toBe(files.itemsCsv);
    expect(read('interactions.csv')).toBe(files.interactionsCsv);
    expect(read('truth.json')).toBe(files.truthJson);
  });

  it('writes the agreed headers', () => {
    expect(files.itemsCsv.split('\n')[0]).toBe('item_id,title,creator,year,genres');
    expect(files.interactionsCsv.split('\n')[0]).toBe('user_id,item_id,timestamp');
  });

  it('keeps every user and item above the preprocessing filters (20 per user, 5 per item)', () => {
    expect(stats.users).toBe(1000);
    expect(stats.minHistory).toBeGreaterThanOrEqual(25);
    expect(stats.minItemInteractions).toBeGreaterThanOrEqual(5);
    expect(stats.interactions).toBeGreaterThan(40_000);
    expect(stats.interactions).toBeLessThan(60_000);
  });

  it('uses dense ids, sorts by user then time, and never repeats an item for a user', () => {
    let previous = [0, 0, 0];
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const row of interactions) {
      const [user, item, timestamp] = row;
      const ordered = user === previous[0] ? timestamp > previous[2] : user === previous[0] + 1;
      if (!Number.isInteger(timestamp) || !ordered) problems.push(`out of order: ${row}`);
      if (!(item >= 1 && item <= stats.items)) problems.push(`bad item id: ${row}`);
      if (seen.has(`${user}:${item}`)) problems.push(`repeated: ${row}`);
      seen.add(`${user}:${item}`);
      previous = row;
    }
    expect(problems).toEqual([]);
    expect(previous[0]).toBe(stats.users);
  });

  it('puts exactly the last 10 clicks of every user after the device-period start', () => {
    const byUser = new Map<number, number[]>();
    for (const [user, , timestamp] of interactions) byUser.set(user, [...(byUser.get(user) ?? []), timestamp]);
    for (const times of byUser.values()) {
      expect(times.filter((t) => t >= DEVICE_START)).toHaveLength(DEVICE_PERIOD);
      expect(times[times.length - DEVICE_PERIOD]).toBeGreaterThanOrEqual(DEVICE_START);
    }
  });

  it('quotes titles that contain commas and quotes so they parse back intact', () => {
    const rows = Papa.parse<Record<string, string>>(files.itemsCsv.trim(), { header: true }).data;
    expect(rows).toHaveLength(stats.items);
    expect(rows.map((r) => Number(r.item_id))).toEqual(rows.map((_, i) => i + 1));
    const titles = rows.map((r) => r.title);
    expect(titles).toContain('The "Canary" Murder Case');
    expect(titles).toContain('Felix Holt, the Radical');
    const pairs = new Set(rows.map((r) => `${r.title}\u0000${r.creator}`));
    expect(pairs.size).toBe(rows.length);
  });

  it('stores true interests that sum to 1 and move to new genres on the device', () => {
    const truth = JSON.parse(files.truthJson) as { genres: string[]; users: Record<string, { cloud: number[]; device: number[] }> };
    expect(truth.genres).toHaveLength(20);
    const users = Object.entries(truth.users);
    expect(users.map(([id]) => Number(id))).toEqual(users.map((_, i) => i + 1));
    for (const [, { cloud, device }] of users) {
      expect(cloud.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(device.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      // The device period's favourite genre was background noise in the cloud period.
      const top = device.indexOf(Math.max(...device));
      expect(cloud[top]).toBeLessThan(0.05);
      expect(device[top]).toBeGreaterThan(0.3);
    }
  });

  // The cloud period has passing interests of its own (datasets/README.md, step 3), so its
  // controls are far from 0; the device period's lasting drift is still clearly further.
  it('shows a real cloud-to-device shift, well above both controls', () => {
    expect(stats.shift.deviceVsCloud).toBeGreaterThan(stats.shift.cloudHalves + 0.1);
    expect(stats.shift.deviceVsCloud).toBeGreaterThan(stats.shift.cloudTailVsRest + 0.1);
  });

  it('has popularity skew and author runs a sequence model can learn', () => {
    expect(stats.top10PctShare).toBeGreaterThan(0.3);
    expect(stats.top10PctShare).toBeLessThan(0.7);
    expect(stats.sameCreatorNext).toBeGreaterThan(3 * stats.sameCreatorShuffled);
  });
});
