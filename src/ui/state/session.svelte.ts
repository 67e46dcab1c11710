// The device session: the catalog, the device sequence (a user's history plus this
// session's clicks, both in the URL) and the three lists. Each list is its own worker call,
// DUET's first, and is painted the moment it arrives: DUET never waits for Fine-tune.
import { tick } from 'svelte';
import type { ItemMeta, SimulatedTruth } from '../../data/types';
import type { SessionRanking, SessionUser } from '../../../workers/api';
import { engine } from '../engine';
import { shownError, type ShownError } from '../errors';
import { dominantGenre, interestGenres, matchShare, percentile, unknownItemsNotice } from './session-helpers';
import { notices } from './notices.svelte';
import { pageUrl, type SessionMethod } from './url.svelte';
export { bytesUp, genreMix, rankChange } from '../session/ranking';

/** Issue order: DUET first (the worker answers calls in order), then Base, then Fine-tune. */
export const sessionMethods: SessionMethod[] = ['base', 'finetune', 'duet'];
const callOrder: SessionMethod[] = ['duet', 'base', 'finetune'];
export const methodLabels: Record<SessionMethod, string> = {
  base: 'Base (fixed last layers)',
  finetune: 'Fine-tune (gradient steps)',
  duet: 'DUET (generated layers)',
};
export const methodShort: Record<SessionMethod, string> = { base: 'Base', finetune: 'Fine-tune', duet: 'DUET' };

type PerMethod<T> = Partial<Record<SessionMethod, T>>;

/** One point of the per-click chart: the lists shown after `clicks` clicks. */
export interface TrailPoint {
  clicks: number;
  share: PerMethod<number>;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

class SessionState {
  #datasetId = $state('');
  #catalog = $state.raw<ItemMeta[]>([]);
  #users = $state.raw<SessionUser[]>([]);
  #truth = $state.raw<SimulatedTruth | null>(null);
  #rankings = $state.raw<PerMethod<SessionRanking>>({});
  #previous = $state.raw<PerMethod<SessionRanking>>({});
  #pending = $state.raw<PerMethod<boolean>>({});
  /** Click-to-painted-list times (ms) of this session's real clicks, per method. */
  #latencies = $state.raw<Record<SessionMethod, number[]>>({ base: [], finetune: [], duet: [] });
  /** The worker's compute time (ms) for the same clicks: the model's share of each latency. */
  #computes = $state.raw<Record<SessionMethod, number[]>>({ base: [], finetune: [], duet: [] });
  /** Per click count, the item ids each method's list held then. */
  #trail = $state.raw<(PerMethod<number[]> | undefined)[]>([]);
  #finetuneSteps = $state(5);
  #error = $state<ShownError | null>(null);
  /** The genre the visitor is exploring (catalog filter, presenter): breaks ties in `target`. */
  #preferredGenre = $state('');
  #ticket = 0;
  #finetuneRunning = false;
  #finetuneNext: { run: () => void; skip: () => void } | null = null;

  get datasetId(): string {
    return this.#datasetId;
  }
  get catalog(): ItemMeta[] {
    return this.#catalog;
  }
  get users(): SessionUser[] {
    return this.#users;
  }
  get truth(): SimulatedTruth | null {
    return this.#truth;
  }
  get rankings(): PerMethod<SessionRanking> {
    return this.#rankings;
  }
  get previous(): PerMethod<SessionRanking> {
    return this.#previous;
  }
  get error(): ShownError | null {
    return this.#error;
  }
  get finetuneSteps(): number {
    return this.#finetuneSteps;
  }
  get busy(): boolean {
    return Object.values(this.#pending).some(Boolean);
  }
  pending(method: SessionMethod): boolean {
    return Boolean(this.#pending[method]);
  }
  latencies(method: SessionMethod): readonly number[] {
    return this.#latencies[method];
  }
  p50(method: SessionMethod): number | undefined {
    return percentile(this.#latencies[method], 50);
  }
  /** p50 of the worker's compute time over the session's clicks (no messaging, no painting). */
  computeP50(method: SessionMethod): number | undefined {
    return percentile(this.#computes[method], 50);
  }

  user = $derived(pageUrl.user === 'new' ? undefined : this.#users.find((u) => u.index === pageUrl.user));
  deviceSequence = $derived([...(this.user ? Array.from(this.user.history) : []), ...pageUrl.clicks]);
  genres = $derived([...new Set(this.#catalog.flatMap((i) => i.genres))].sort());

  /**
   * The genres the lists are judged against: a test user's true device-period interests
   * when the dataset is simulated, else the genre this session's clicks are about.
   */
  target = $derived.by((): { genres: string[]; source: 'truth' | 'clicks' } => {
    if (this.user && this.#truth) return { genres: interestGenres(this.#truth, this.user.index), source: 'truth' };
    return { genres: dominantGenre(pageUrl.clicks, this.#catalog, this.#preferredGenre), source: 'clicks' };
  });
  targetSet = $derived(new Set(this.target.genres));

  /** The per-click chart: each method's share of its top-10 in the target genres, click by click. */
  chart = $derived.by((): TrailPoint[] =>
    // A session restored from a link starts at its number of clicks: no points before it.
    this.#trail.flatMap((lists, clicks) => {
      if (!lists) return [];
      const share: PerMethod<number> = {};
      for (const m of sessionMethods) {
        const ids = lists[m];
        if (ids) share[m] = matchShare(ids, this.#catalog, this.targetSet);
      }
      return [{ clicks, share }];
    }),
  );

  /** Loads what the session needs for a dataset; keeps the URL's user and clicks when valid. */
  async open(datasetId: string): Promise<void> {
    if (datasetId === this.#datasetId || !datasetId) return;
    this.#datasetId = datasetId;
    this.clearLists();
    this.#error = null;
    try {
      const [catalog, users, truth] = await Promise.all([
        engine().catalog(datasetId),
        engine().sessionUsers(datasetId, 50),
        engine().truth(datasetId),
      ]);
      if (datasetId !== this.#datasetId) return;
      this.#catalog = catalog;
      this.#users = users;
      this.#truth = truth;
      this.dropBadLinkValues();
    } catch (err) {
      this.#error = shownError(err);
    }
  }

  /** A link's clicks or user that this dataset does not have: say so once, and drop them. */
  private dropBadLinkValues(): void {
    const notice = unknownItemsNotice(pageUrl.clicks, this.#catalog.length);
    if (notice) {
      notices.add(notice.text);
      pageUrl.setClicks(notice.kept);
    }
    if (pageUrl.user !== 'new' && !this.#users.some((u) => u.index === pageUrl.user)) {
      notices.add(`Test user ${pageUrl.user} from the link is not among this dataset's test users; starting as a new visitor.`);
      pageUrl.setUser('new');
    }
  }

  item(id: number): ItemMeta | undefined {
    return this.#catalog[id];
  }

  preferGenre(genre: string): void {
    this.#preferredGenre = genre;
  }

  setFinetuneSteps(steps: number): void {
    if (Number.isFinite(steps)) this.#finetuneSteps = Math.min(50, Math.max(1, Math.round(steps)));
  }

  private clearLists(): void {
    this.#ticket++;
    this.#rankings = {};
    this.#previous = {};
    this.#pending = {};
    this.#trail = [];
    this.#latencies = { base: [], finetune: [], duet: [] };
    this.#computes = { base: [], finetune: [], duet: [] };
  }

  /** Fresh lists for a new model: no arrows or latencies carried over from another model. */
  restart(): void {
    this.clearLists();
    void this.rerank(false);
  }

  /** Ranks the current device sequence; `fromClick` times it as a click (the latency cards). */
  rerank(fromClick: boolean): Promise<void> {
    if (!this.#datasetId || !this.#catalog.length) return Promise.resolve();
    const started = performance.now();
    const ticket = ++this.#ticket;
    const datasetId = this.#datasetId;
    const backbone = pageUrl.backbone;
    const sequence = Int32Array.from(this.deviceSequence);
    const clicks = pageUrl.clicks.length;
    const options = { k: 10, finetuneSteps: this.#finetuneSteps, exclude: Int32Array.from(new Set(sequence)) };
    this.#error = null;
    this.#pending = { base: true, finetune: true, duet: true };
    this.#trail = this.#trail.slice(0, clicks);

    const paint = async (method: SessionMethod, result: SessionRanking | undefined): Promise<void> => {
      if (ticket !== this.#ticket || !result) return;
      this.#previous = { ...this.#previous, [method]: this.#rankings[method] };
      this.#rankings = { ...this.#rankings, [method]: result };
      this.#pending = { ...this.#pending, [method]: false };
      const trail = [...this.#trail];
      trail[clicks] = { ...trail[clicks], [method]: result.top.map((r) => r.itemId) };
      this.#trail = trail;
      await tick();
      await nextFrame();
      if (fromClick && ticket === this.#ticket) {
        this.#latencies = { ...this.#latencies, [method]: [...this.#latencies[method], performance.now() - started] };
        this.#computes = { ...this.#computes, [method]: [...this.#computes[method], result.computeMs] };
      }
    };
    const fail = (method: SessionMethod, err: unknown): void => {
      if (ticket !== this.#ticket) return;
      this.#pending = { ...this.#pending, [method]: false };
      this.#error = sessionError(err);
    };
    const call = (method: SessionMethod) =>
      engine()
        .rank(datasetId, backbone, sequence, [method], options)
        .then(
          (r) => paint(method, r[0]),
          (err) => fail(method, err),
        );

    const done: Promise<void>[] = [];
    for (const method of callOrder) {
      if (method !== 'finetune') done.push(call(method));
      else done.push(this.finetuneWhenFree(() => (ticket === this.#ticket ? call(method) : Promise.resolve())));
    }
    return Promise.all(done).then(() => undefined);
  }

  /**
   * Fine-tune takes up to a second: while one runs, only the newest request waits behind it,
   * so rapid clicks never stack gradient runs in front of DUET's next answer.
   */
  private finetuneWhenFree(job: () => Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const run = () => {
        this.#finetuneRunning = true;
        void job().finally(() => {
          this.#finetuneRunning = false;
          resolve();
          const next = this.#finetuneNext;
          this.#finetuneNext = null;
          next?.run();
        });
      };
      if (!this.#finetuneRunning) run();
      else {
        // A request replaced before it ran is settled at once: its list would be stale.
        this.#finetuneNext?.skip();
        this.#finetuneNext = { run, skip: resolve };
      }
    });
  }

  click(itemId: number): void {
    pageUrl.setClicks([...pageUrl.clicks, itemId]);
    void this.rerank(true);
  }

  undo(): void {
    if (!pageUrl.clicks.length) return;
    pageUrl.setClicks(pageUrl.clicks.slice(0, -1));
    void this.rerank(false);
  }

  reset(): void {
    if (!pageUrl.clicks.length) return;
    pageUrl.setClicks([]);
    this.#previous = {};
    this.#trail = [];
    void this.rerank(false);
  }

  chooseUser(choice: number | 'new'): void {
    pageUrl.setUser(choice);
    pageUrl.setClicks([]);
    this.clearLists();
    void this.rerank(false);
  }
}

/** A failed ranking as a sentence: the engine's own words only when it typed the failure. */
function sessionError(err: unknown): ShownError {
  const e = shownError(err);
  if (e.code !== 'unknown') return e;
  return { code: 'rank-failed', message: 'The lists could not be computed for this session. Reset the clicks, or reload the page.' };
}

export const session = new SessionState();
