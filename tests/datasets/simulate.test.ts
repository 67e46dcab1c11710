import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/random.ts';
import { CATALOG } from '../../datasets/catalog/index.ts';
import { buildCatalogIndex, searchCumulative, type CatalogIndex } from '../../datasets/catalog-index.ts';
import { DEFAULT_SIMULATION, simulateUsers, type SimulatedUser, type SimulationConfig } from '../../datasets/simulate.ts';

const SMALL: SimulationConfig = { ...DEFAULT_SIMULATION, users: 150, minItemInteractions: 0 };

function simulate(config: SimulationConfig, seed = 7): { index: CatalogIndex; users: SimulatedUser[] } {
  const rng = createRng(seed);
  const index = buildCatalogIndex(rng, CATALOG, 0.9);
  return { index, users: simulateUsers(rng, index, config) };
}

/** Of the clicks that follow a series entry whose next entry is still unread, the share that take it. */
function seriesContinuation(index: CatalogIndex, users: SimulatedUser[]): number {
  let chances = 0;
  let taken = 0;
  for (const user of users) {
    for (const session of [...user.cloudSessions, ...user.deviceSessions]) {
      const readBefore = new Set<number>();
      for (let k = 0; k + 1 < session.length; k++) {
        readBefore.add(session[k]);
        const at = index.seriesOf[session[k]];
        if (!at) continue;
        const next = index.series.get(at.key)![at.position + 1];
        if (next === undefined) continue;
        chances++;
        if (session[k + 1] === next) taken++;
      }
    }
  }
  return taken / chances;
}

describe('buildCatalogIndex', () => {
  it('ranks each genre pool with Zipf weights 1/(r+1)^s', () => {
    const index = buildCatalogIndex(createRng(1), CATALOG, 1);
    const pool = index.pools[0];
    expect(pool.cumulative[0]).toBe(1);
    expect(pool.cumulative[1]).toBe(1.5);
    expect(pool.cumulative[2]).toBeCloseTo(1 + 1 / 2 + 1 / 3, 12);
    expect(index.popularity[pool.items[0]]).toBe(1);
  });

  it('keeps series members in reading order', () => {
    const index = buildCatalogIndex(createRng(1), CATALOG, 0.9);
    const holmes = index.series.get('Arthur Conan Doyle\u0000Sherlock Holmes')!;
    expect(holmes.map((i) => CATALOG[i].series!.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('searchCumulative', () => {
  it('returns the first entry at or above the target', () => {
    const cumulative = Float64Array.from([1, 3, 6]);
    expect(searchCumulative(cumulative, 0.5)).toBe(0);
    expect(searchCumulative(cumulative, 1)).toBe(0);
    expect(searchCumulative(cumulative, 1.01)).toBe(1);
    expect(searchCumulative(cumulative, 5.99)).toBe(2);
  });
});

describe('simulateUsers', () => {
  const { index, users } = simulate(SMALL);

  it('gives every user a cloud period of at least minCloud and a device period of exactly 10, without repeats', () => {
    for (const user of users) {
      const cloud = user.cloudSessions.flat();
      const device = user.deviceSessions.flat();
      expect(cloud.length).toBeGreaterThanOrEqual(SMALL.minCloud);
      expect(device).toHaveLength(10);
      expect(new Set([...cloud, ...device]).size).toBe(cloud.length + 10);
    }
  });

  it('draws device clicks mostly from genres that were background in the cloud period', () => {
    let onNew = 0;
    let total = 0;
    for (const user of users) {
      const fresh = user.deviceInterest.map((w, g) => w > 0.1 && user.cloudInterest[g] < 0.05);
      for (const item of user.deviceSessions.flat()) {
        total++;
        if (index.itemGenres[item].some((g) => fresh[g])) onNew++;
      }
    }
    expect(onNew / total).toBeGreaterThan(0.6);
  });

  it('gives the cloud period passing interests, so recent clicks predict the next genre better than the whole history', () => {
    // Share of cloud clicks (from the 31st on) whose genres include the most frequent genre
    // of the 3 clicks before, and of the 30 clicks before.
    const hitRate = (users: SimulatedUser[], window: number) => {
      let hits = 0;
      let total = 0;
      for (const user of users) {
        const clicks = user.cloudSessions.flat();
        for (let t = 30; t < clicks.length; t++) {
          const counts = new Array<number>(index.pools.length).fill(0);
          for (const item of clicks.slice(t - window, t)) for (const g of index.itemGenres[item]) counts[g]++;
          total++;
          if (index.itemGenres[clicks[t]].includes(counts.indexOf(Math.max(...counts)))) hits++;
        }
      }
      return hits / total;
    };
    const steady = simulate({ ...SMALL, pPhase: 0 }).users;
    expect(hitRate(users, 3) - hitRate(users, 30)).toBeGreaterThan(hitRate(steady, 3) - hitRate(steady, 30) + 0.05);
  });

  it('continues series in order, and the mechanism is what does it', () => {
    const withSeries = seriesContinuation(index, users);
    const without = simulate({ ...SMALL, pSeriesContinue: 0 });
    expect(withSeries).toBeGreaterThan(0.5);
    expect(seriesContinuation(without.index, without.users)).toBeLessThan(withSeries / 2);
  });

  it('tops up cold items to the minimum with cloud-period clicks only', () => {
    const filled = simulate({ ...SMALL, minItemInteractions: 2 });
    const counts = new Int32Array(CATALOG.length);
    for (const user of filled.users) for (const item of user.cloudSessions.flat()) counts[item]++;
    for (const user of filled.users) for (const item of user.deviceSessions.flat()) counts[item]++;
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
    expect(filled.users.every((u) => u.deviceSessions.flat().length === 10)).toBe(true);
  });
});
