// The steering benchmark (docs/steering.md): how far three clicks of one genre move each
// method's top-10 towards that genre, on random draws nobody tuned for, and how much of each
// test user's top-10 lies inside their true device-period interests. Usage:
//   npm run steering -- --seed S [--json out.json] [--draws 5] [--users 20] [--finetune-users 3]
//                       [--truth-users 200] [--models public/models] [--data datasets/default]
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Dataset } from '../src/data/types';
import { readDefaultDataset } from './default-dataset';
import { initBackend } from '../src/engine/backend';
import { disposeModel, type RecModel } from '../src/engine/model';
import { decodeModelFile, deserializeModel } from '../src/engine/serialize';
import { finetuneOnSession, rankCatalog } from '../src/engine/session';
import { createRng, shuffle, type Rng } from '../src/random';
import {
  deviceGenres,
  formatTable,
  genreShare,
  insideShare,
  meanCi95,
  summarize,
  METHODS,
  type DrawGain,
  type SteeringMethod,
} from './steering-measure';

const TOP = 10;
const CLICKS = 3;
/** Device-period interest weight from which a genre counts as one the user truly cares about. */
export const TRUTH_THRESHOLD = 0.1;

export interface SteeringOptions {
  seed: number;
  draws: number;
  users: number;
  finetuneUsers: number;
  finetuneSteps: number;
  truthUsers: number;
}

async function loadModel(path: string): Promise<RecModel> {
  const bytes = await readFile(path);
  return deserializeModel(decodeModelFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), 'weights');
}

/** `count` distinct entries of `pool`, uniformly. */
function drawDistinct(rng: Rng, pool: readonly number[], count: number): number[] {
  const copy = [...pool];
  shuffle(rng, copy);
  return copy.slice(0, count);
}

interface Models {
  base: RecModel;
  duet: RecModel;
}

async function topList(
  models: Models,
  method: SteeringMethod,
  sequence: Int32Array,
  clicks: number,
  opts: SteeringOptions,
  seed: number,
): Promise<number[]> {
  if (method === 'finetune') {
    if (clicks === 0) return topList(models, 'base', sequence, 0, opts, seed);
    const tuned = finetuneOnSession(models.base, sequence, opts.finetuneSteps, seed, 1e-3, sequence.length - clicks);
    try {
      return (await rankCatalog(tuned, sequence, TOP, sequence)).map((r) => r.itemId);
    } finally {
      disposeModel(tuned);
    }
  }
  return (await rankCatalog(models[method], sequence, TOP, sequence)).map((r) => r.itemId);
}

function concat(a: ArrayLike<number>, b: ArrayLike<number>): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export interface SteeringResult {
  summary: ReturnType<typeof summarize>['summary'];
  genres: ReturnType<typeof summarize>['genres'];
  device_truth: Record<SteeringMethod, number>;
  test_users: ReturnType<typeof summarize> & { finetune_users_per_draw: number };
  device_truth_drift: Record<SteeringMethod, number>;
  config: SteeringOptions & { top: number; clicks: number; truth_threshold: number; item_pick: string };
}

export async function runSteering(
  dataset: Dataset,
  models: Models,
  opts: SteeringOptions,
  log: (line: string) => void = () => {},
): Promise<SteeringResult> {
  const h = dataset.histories;
  const truth = dataset.truth;
  if (!h || !truth) throw new Error('the steering benchmark needs a dataset with histories and truth.json (the default dataset)');
  const itemGenres = (id: number) => dataset.items[id].genres;
  const genres = [...new Set(dataset.items.slice(1).flatMap((item) => item.genres))].sort();
  const rng = createRng(opts.seed);
  const numUsers = h.devicePeriodStart.length;
  const cloudOf = (u: number) => h.items.subarray(h.offsets[u], h.devicePeriodStart[u]);

  // Before any click: the new visitor's lists are the same for every draw.
  const empty = new Int32Array(0);
  const visitorBefore = Object.fromEntries(
    await Promise.all(METHODS.map(async (m) => [m, await topList(models, m, empty, 0, opts, 0)])),
  ) as Record<SteeringMethod, number[]>;
  const baseBefore = new Map<number, number[]>();
  const duetBefore = new Map<number, number[]>();

  const visitorDraws: DrawGain[] = [];
  const userDraws: DrawGain[] = [];
  for (const genre of genres) {
    const pool = dataset.items
      .slice(1)
      .filter((item) => item.genres.includes(genre))
      .map((item) => item.id);
    for (let d = 0; d < opts.draws; d++) {
      const clicks = drawDistinct(rng, pool, CLICKS);
      const fineSeed = opts.seed * 1000 + visitorDraws.length;
      const gains = {} as Record<SteeringMethod, number>;
      for (const m of METHODS) {
        const after = await topList(models, m, Int32Array.from(clicks), CLICKS, opts, fineSeed);
        gains[m] = genreShare(itemGenres, after, genre) - genreShare(itemGenres, visitorBefore[m], genre);
      }
      visitorDraws.push({ genre, gains });

      const users = drawDistinct(
        rng,
        Array.from({ length: numUsers }, (_, u) => u),
        opts.users,
      );
      const finetuneUsers = new Set(users.slice(0, opts.finetuneUsers));
      for (const u of users) {
        const cloud = cloudOf(u);
        const fresh = clicks.filter((item) => !cloud.includes(item));
        if (fresh.length < CLICKS) continue; // the user already read one of them: skip the pair
        const sequence = concat(cloud, fresh);
        if (!baseBefore.has(u)) {
          baseBefore.set(u, await topList(models, 'base', cloud, 0, opts, 0));
          duetBefore.set(u, await topList(models, 'duet', cloud, 0, opts, 0));
        }
        const before = { base: baseBefore.get(u)!, finetune: baseBefore.get(u)!, duet: duetBefore.get(u)! };
        const userGains = {} as Record<SteeringMethod, number>;
        for (const m of METHODS) {
          if (m === 'finetune' && !finetuneUsers.has(u)) continue;
          const after = await topList(models, m, sequence, CLICKS, opts, fineSeed + u);
          userGains[m] = genreShare(itemGenres, after, genre) - genreShare(itemGenres, before[m], genre);
        }
        userDraws.push({ genre, gains: userGains });
      }
    }
    log(`${genre}: ${opts.draws} draws done`);
  }

  // Test users with their real device period: share of the top-10 inside their true device interests.
  const truthUsers = drawDistinct(
    rng,
    Array.from({ length: numUsers }, (_, u) => u),
    Math.min(opts.truthUsers, numUsers),
  );
  const inside: Record<SteeringMethod, number[]> = { base: [], finetune: [], duet: [] };
  const drift: Record<SteeringMethod, number[]> = { base: [], finetune: [], duet: [] };
  for (const u of truthUsers) {
    const sequence = h.items.subarray(h.offsets[u], h.offsets[u + 1]);
    const deviceClicks = h.offsets[u + 1] - h.devicePeriodStart[u];
    const wanted = deviceGenres(truth.genres, truth.deviceInterest[u], TRUTH_THRESHOLD);
    // The drift: genres that gained at least TRUTH_THRESHOLD from the cloud to the device period.
    const grown = new Set(truth.genres.filter((_, g) => truth.deviceInterest[u][g] - truth.cloudInterest[u][g] >= TRUTH_THRESHOLD));
    for (const m of METHODS) {
      const list = await topList(models, m, sequence, deviceClicks, opts, opts.seed * 7 + u);
      inside[m].push(insideShare(itemGenres, list, wanted));
      drift[m].push(insideShare(itemGenres, list, grown));
    }
  }
  const mean = (xs: number[]) => meanCi95(xs).mean;
  const visitors = summarize(visitorDraws);
  const testUsers = summarize(userDraws.filter((d) => d.gains.finetune !== undefined));
  const allUsers = summarize(userDraws, ['base', 'duet']);
  // Base and DUET over every (draw, user) pair; Fine-tune over its subset.
  testUsers.summary.base = allUsers.summary.base;
  testUsers.summary.duet = allUsers.summary.duet;
  for (const g of Object.keys(testUsers.genres)) Object.assign(testUsers.genres[g], allUsers.genres[g]);
  return {
    summary: visitors.summary,
    genres: visitors.genres,
    device_truth: { base: mean(inside.base), finetune: mean(inside.finetune), duet: mean(inside.duet) },
    test_users: { ...testUsers, finetune_users_per_draw: opts.finetuneUsers },
    device_truth_drift: { base: mean(drift.base), finetune: mean(drift.finetune), duet: mean(drift.duet) },
    config: { ...opts, top: TOP, clicks: CLICKS, truth_threshold: TRUTH_THRESHOLD, item_pick: 'uniform over the items carrying the genre' },
  };
}

function wholeNumber(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined || !/^\d+$/.test(value)) {
    console.error(`steering: --${name} needs a whole number (got ${value ?? 'nothing'}).`);
    process.exit(2);
  }
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      json: { type: 'string' },
      draws: { type: 'string' },
      users: { type: 'string' },
      'finetune-users': { type: 'string' },
      'finetune-steps': { type: 'string' },
      'truth-users': { type: 'string' },
      models: { type: 'string', default: 'public/models' },
      base: { type: 'string' },
      duet: { type: 'string' },
      data: { type: 'string', default: 'datasets/default' },
    },
  });
  const opts: SteeringOptions = {
    seed: wholeNumber('seed', values.seed),
    draws: wholeNumber('draws', values.draws, 5),
    users: wholeNumber('users', values.users, 20),
    finetuneUsers: wholeNumber('finetune-users', values['finetune-users'], 3),
    finetuneSteps: wholeNumber('finetune-steps', values['finetune-steps'], 5),
    truthUsers: wholeNumber('truth-users', values['truth-users'], 200),
  };
  await initBackend('wasm');
  const started = performance.now();
  const dataset = await readDefaultDataset(values.data);
  const models = {
    base: await loadModel(values.base ?? `${values.models}/default-sasrec-base.duetmodel`),
    duet: await loadModel(values.duet ?? `${values.models}/default-sasrec-duet.duetmodel`),
  };
  const result = await runSteering(dataset, models, opts, (line) => console.error(line));
  console.log(
    `\nNew visitor, ${CLICKS} random clicks of one genre (${opts.draws} draws per genre, seed ${opts.seed}): gain in the top-${TOP}'s share of that genre\n`,
  );
  console.log(formatTable('genre', { summary: result.summary, genres: result.genres }));
  console.log(
    `\nTest users (cloud history, then the ${CLICKS} clicks; ${opts.users} users per draw, Fine-tune on ${opts.finetuneUsers} of them)\n`,
  );
  console.log(formatTable('genre', result.test_users));
  const pct = (v: number) => v.toFixed(3);
  console.log(
    `\nDevice truth (${opts.truthUsers} test users with their real device period; top-${TOP} share inside the genres with device interest >= ${TRUTH_THRESHOLD}):`,
  );
  console.log(`  ${METHODS.map((m) => `${m} ${pct(result.device_truth[m])}`).join(', ')}`);
  console.log(
    `  inside the genres that grew by >= ${TRUTH_THRESHOLD} (the drift): ${METHODS.map((m) => `${m} ${pct(result.device_truth_drift[m])}`).join(', ')}`,
  );
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
  if (values.json) await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`steering: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
