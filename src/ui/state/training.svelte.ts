// Training in this tab: the request (with the users to train on), whole-run progress (a
// LongTask), the series the charts draw, the estimate shown before Train is pressed, and an
// unfinished run offered for resuming. The
// worker keeps the unfinished run in IndexedDB; loading the page never starts training.
import type { Metrics } from '../../engine/types';
import type { PendingTraining, RunProgress, TrainableMethod, TrainEstimate, TrainRequest } from '../../../workers/api';
import { Comlink, engine } from '../engine';
import { shownError, type ShownError } from '../errors';
import { proposeUserSample } from '../train/user-sample';
import { datasets } from './datasets.svelte';
import { models } from './models.svelte';
import { LongTask } from './task.svelte';
import { pageUrl } from './url.svelte';

export const trainableMethods: { value: TrainableMethod; label: string }[] = [
  { value: 'base', label: 'Base' },
  { value: 'duet', label: 'DUET' },
  { value: 'duet-swa', label: 'DUET + SWA' },
];

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  methods: TrainableMethod[];
}

export interface Series {
  /** x: fractional epoch; y: value. */
  x: number[];
  y: number[];
}

/** "epoch 2 of 3 saved" for one method, "4 of 6 epochs saved" over several. */
export function savedText(p: PendingTraining): string {
  const done = p.saved.reduce((s, m) => s + Math.min(m.epochsDone, m.epochs), 0);
  const total = p.saved.reduce((s, m) => s + m.epochs, 0);
  return p.saved.length === 1 ? `epoch ${done} of ${total} saved` : `${done} of ${total} epochs saved`;
}

/** Users to train on: the proposal for this dataset ('auto'), every user, or a number. */
export type UsersChoice = 'auto' | 'all' | number;

class TrainingState {
  #settings = $state<TrainSettings>({ epochs: 3, batchSize: 256, methods: ['base', 'duet'] });
  #users = $state<{ datasetId: string; choice: UsersChoice }>({ datasetId: '', choice: 'auto' });
  #task = new LongTask<RunProgress>({
    cancel: () => engine().cancelTraining(),
    cancelledNotice: () => `Training cancelled; nothing will restart by itself.${this.#savedSuffix()}`,
  });
  /** The request of the run in progress (or the last one). */
  #request = $state.raw<TrainRequest | null>(null);
  #loss = $state.raw<Record<string, Series>>({});
  #testUauc = $state.raw<Record<string, Series>>({});
  #result = $state.raw<Record<string, Metrics> | null>(null);
  /** A sentence of this state's own (resuming, discarded), shown when the run has none. */
  #ownNotice = $state('');
  #pending = $state.raw<PendingTraining | null>(null);
  #estimate = $state.raw<{ estimate: TrainEstimate; epochs: number; maxUsers?: number } | null>(null);
  #estimateTicket = 0;

  get settings(): Readonly<TrainSettings> {
    return this.#settings;
  }
  get running(): boolean {
    return this.#task.busy;
  }
  get progress(): RunProgress | null {
    return this.#task.progress;
  }
  get loss(): Record<string, Series> {
    return this.#loss;
  }
  get testUauc(): Record<string, Series> {
    return this.#testUauc;
  }
  get result(): Record<string, Metrics> | null {
    return this.#result;
  }
  get error(): ShownError | null {
    return this.#task.error;
  }
  get notice(): string {
    return this.#task.notice || this.#ownNotice;
  }
  get pending(): PendingTraining | null {
    return this.#pending;
  }
  get estimate(): TrainEstimate | null {
    return this.#estimate?.estimate ?? null;
  }
  get request(): TrainRequest | null {
    return this.#request;
  }

  /** Users of the dataset the page shows. */
  users = $derived(datasets.list.find((d) => d.id === pageUrl.dataset)?.stats.users ?? 0);

  /** Seconds of one epoch over every user, from the estimate (which may be for a sample). */
  #wholeEpochSeconds = $derived.by(() => {
    const e = this.#estimate;
    if (!e || !this.users) return Number.NaN;
    const share = e.maxUsers ? Math.min(1, e.maxUsers / this.users) : 1;
    return e.estimate.seconds / e.epochs / share;
  });

  /** The sample proposed for a dataset too large to train whole in a tab, with why. */
  proposal = $derived(proposeUserSample(this.users, this.#wholeEpochSeconds));

  /** What the visitor chose for this dataset ('auto' until they choose). */
  usersChoice = $derived(this.#users.datasetId === pageUrl.dataset ? this.#users.choice : 'auto');

  /** Users the run trains on; undefined: all of them. */
  maxUsers = $derived.by(() => {
    const c = this.usersChoice;
    const n = c === 'auto' ? this.proposal?.users : c === 'all' ? undefined : c;
    return n !== undefined && n < this.users ? n : undefined;
  });

  setEpochs(n: number): void {
    if (Number.isFinite(n)) this.#settings.epochs = Math.min(50, Math.max(1, Math.round(n)));
  }
  setBatchSize(n: number): void {
    if (Number.isFinite(n)) this.#settings.batchSize = Math.min(4096, Math.max(1, Math.round(n)));
  }
  toggleMethod(m: TrainableMethod, on: boolean): void {
    const chosen = new Set(this.#settings.methods);
    if (on) chosen.add(m);
    else chosen.delete(m);
    this.#settings.methods = trainableMethods.map((t) => t.value).filter((v) => chosen.has(v));
  }
  /**
   * A number of users (at least 10), or every user (an empty field). A number at or above the
   * dataset's users means all of them (`maxUsers`); it is not resolved here, because the
   * dataset list may still be loading when the visitor types.
   */
  setUsers(n: number | 'all'): void {
    const choice: UsersChoice = n === 'all' || !Number.isFinite(n) ? 'all' : Math.max(10, Math.round(n));
    this.#users = { datasetId: pageUrl.dataset, choice };
  }

  /** Reads the unfinished run the worker kept, if any: it is offered, never started. */
  async loadPending(): Promise<void> {
    try {
      this.#pending = await engine().pendingTraining();
    } catch {
      this.#pending = null;
    }
  }

  newRequest(resume: boolean): TrainRequest {
    return {
      datasetId: pageUrl.dataset,
      backbone: pageUrl.backbone,
      methods: [...this.#settings.methods],
      model: {},
      duet: {},
      train: { epochs: this.#settings.epochs, batchSize: this.#settings.batchSize },
      resume,
      ...(this.maxUsers ? { maxUsers: this.maxUsers } : {}),
    };
  }

  /** The time the settings' run would take, shown before Train is pressed. */
  async refreshEstimate(): Promise<void> {
    const ticket = ++this.#estimateTicket;
    const req = this.newRequest(false);
    if (!req.datasetId || !req.methods.length) {
      this.#estimate = null;
      return;
    }
    try {
      const estimate = await engine().estimateTraining(req);
      if (ticket === this.#estimateTicket) this.#estimate = { estimate, epochs: req.train.epochs ?? 1, maxUsers: req.maxUsers };
    } catch {
      if (ticket === this.#estimateTicket) this.#estimate = null;
    }
  }

  async start(): Promise<void> {
    await this.run(this.newRequest(false));
  }

  async resume(): Promise<void> {
    const p = this.#pending;
    if (!p) return;
    this.#settings = {
      epochs: p.request.train.epochs ?? this.#settings.epochs,
      batchSize: p.request.train.batchSize ?? this.#settings.batchSize,
      methods: [...p.request.methods],
    };
    if (p.request.datasetId !== pageUrl.dataset) pageUrl.setDataset(p.request.datasetId);
    if (p.request.backbone !== pageUrl.backbone) pageUrl.setBackbone(p.request.backbone);
    this.#users = { datasetId: p.request.datasetId, choice: p.request.maxUsers ?? 'all' };
    await this.run({ ...p.request, resume: true }, savedText(p));
  }

  async discard(): Promise<void> {
    await engine().discardPendingTraining();
    this.#pending = null;
    this.#task.clear();
    this.#ownNotice = 'The unfinished run was discarded; the epochs it saved stay usable as models.';
  }

  private async run(req: TrainRequest, resumedFrom?: string): Promise<void> {
    if (this.#task.busy || !req.methods.length) return;
    this.#ownNotice = resumedFrom ? `Resuming: continuing after the ${resumedFrom.replace(' saved', '')} already saved.` : '';
    this.#request = req;
    this.#result = null;
    this.#loss = {};
    this.#testUauc = {};
    this.#pending = null;
    const result = await this.#task.run(
      async (onProgress) => {
        try {
          return await engine().train(
            req,
            Comlink.proxy((p: RunProgress) => {
              onProgress(p);
              this.onProgress(p);
            }),
          );
        } catch (err) {
          await this.loadPending();
          if (shownError(err).code === 'device-lost') await models.refreshBackend();
          throw err;
        } finally {
          await models.refresh(req.datasetId);
        }
      },
      () => 'Training finished: the session now uses these models.',
    );
    this.#result = result ?? null;
    this.#ownNotice = '';
  }

  #savedSuffix(): string {
    return this.#pending ? ` ${capitalise(savedText(this.#pending))}; Resume continues from there.` : '';
  }

  private onProgress(p: RunProgress): void {
    const x = p.epoch - 1 + p.step / Math.max(1, p.stepsPerEpoch);
    this.#loss = append(this.#loss, p.phase, x, p.loss);
    if (p.testUauc !== undefined) this.#testUauc = append(this.#testUauc, p.phase, p.epoch, p.testUauc);
  }

  cancel(): void {
    this.#task.cancel();
  }
}

function capitalise(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

function append(all: Record<string, Series>, key: string, x: number, y: number): Record<string, Series> {
  if (!Number.isFinite(y)) return all;
  const s = all[key] ?? { x: [], y: [] };
  return { ...all, [key]: { x: [...s.x, x], y: [...s.y, y] } };
}

export const training = new TrainingState();
