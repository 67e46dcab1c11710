// The device session: the catalog, the device sequence (a user's history plus this
// session's clicks, both in the URL), and the three rankings returned by one rank() call.
import type { ItemMeta, SimulatedTruth } from '../../data/types';
import type { SessionRanking, SessionUser } from '../../../workers/api';
import { engine } from '../engine';
export { bytesUp, genreMix, rankChange } from '../session/ranking';
import { shownError, type ShownError } from '../errors';
import { pageUrl, type SessionMethod } from './url.svelte';

export const sessionMethods: SessionMethod[] = ['base', 'finetune', 'duet'];
export const methodLabels: Record<SessionMethod, string> = {
  base: 'Base (no adaptation)',
  finetune: 'Fine-tune (gradient steps)',
  duet: 'DUET (generated layers)',
};

export interface Latency {
  /** Page-measured round trip of the one rank() call. */
  roundTripMs: number;
  /** Per method: its compute in the worker plus the call's messaging share. */
  perMethod: Partial<Record<SessionMethod, number>>;
}

class SessionState {
  datasetId = $state('');
  catalog = $state.raw<ItemMeta[]>([]);
  users = $state.raw<SessionUser[]>([]);
  truth = $state.raw<SimulatedTruth | null>(null);
  rankings = $state.raw<Partial<Record<SessionMethod, SessionRanking>>>({});
  previous = $state.raw<Partial<Record<SessionMethod, SessionRanking>>>({});
  latency = $state.raw<Latency | null>(null);
  finetuneSteps = $state(5);
  busy = $state(false);
  error = $state<ShownError | null>(null);
  private ticket = 0;

  user = $derived(pageUrl.user === 'new' ? undefined : this.users.find((u) => u.index === pageUrl.user));
  deviceSequence = $derived([...(this.user ? Array.from(this.user.history) : []), ...pageUrl.clicks]);
  genres = $derived([...new Set(this.catalog.flatMap((i) => i.genres))].sort());

  /** Loads what the session needs for a dataset; keeps the URL's user and clicks. */
  async open(datasetId: string): Promise<void> {
    if (datasetId === this.datasetId || !datasetId) return;
    this.datasetId = datasetId;
    this.rankings = {};
    this.previous = {};
    this.latency = null;
    this.error = null;
    try {
      const [catalog, users, truth] = await Promise.all([
        engine().catalog(datasetId),
        engine().sessionUsers(datasetId, 50),
        engine().truth(datasetId),
      ]);
      if (datasetId !== this.datasetId) return;
      this.catalog = catalog;
      this.users = users;
      this.truth = truth;
    } catch (err) {
      this.error = shownError(err);
    }
  }

  item(id: number): ItemMeta | undefined {
    return this.catalog[id];
  }

  /** Fresh lists for a new model: no arrows against another model's ranking. */
  restart(): void {
    this.rankings = {};
    this.previous = {};
    this.latency = null;
    void this.rerank();
  }

  async rerank(): Promise<void> {
    if (!this.datasetId || !this.catalog.length) return;
    const sequence = Int32Array.from(this.deviceSequence);
    const ticket = ++this.ticket;
    this.busy = true;
    this.error = null;
    try {
      const started = performance.now();
      const result = await engine().rank(this.datasetId, pageUrl.backbone, sequence, sessionMethods, {
        k: 10,
        finetuneSteps: this.finetuneSteps,
        exclude: Int32Array.from(new Set(sequence)),
      });
      const roundTripMs = performance.now() - started;
      if (ticket !== this.ticket) return; // a newer request superseded this one
      const messagingMs = Math.max(0, roundTripMs - result.reduce((s, r) => s + r.computeMs, 0));
      const next: Partial<Record<SessionMethod, SessionRanking>> = {};
      const perMethod: Latency['perMethod'] = {};
      for (const r of result) {
        next[r.method] = r;
        perMethod[r.method] = r.computeMs + messagingMs;
      }
      this.previous = this.rankings;
      this.rankings = next;
      this.latency = { roundTripMs, perMethod };
    } catch (err) {
      this.error = shownError(err);
    } finally {
      if (ticket === this.ticket) this.busy = false;
    }
  }

  click(itemId: number): void {
    pageUrl.clicks = [...pageUrl.clicks, itemId];
    void this.rerank();
  }

  undo(): void {
    pageUrl.clicks = pageUrl.clicks.slice(0, -1);
    void this.rerank();
  }

  reset(): void {
    pageUrl.clicks = [];
    this.previous = {};
    void this.rerank();
  }

  chooseUser(choice: number | 'new'): void {
    pageUrl.user = choice;
    pageUrl.clicks = [];
    this.previous = {};
    void this.rerank();
  }
}

export const session = new SessionState();
