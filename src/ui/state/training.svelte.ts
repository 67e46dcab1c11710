// Training in this tab: the request, whole-run progress, the series the charts draw, the
// estimate shown before Train is pressed, and an unfinished run offered for resuming. The
// worker keeps the unfinished run in IndexedDB; loading the page never starts training.
import type { Metrics } from '../../engine/types';
import type { PendingTraining, RunProgress, TrainableMethod, TrainEstimate, TrainRequest } from '../../../workers/api';
import { Comlink, engine } from '../engine';
import { isCancelled, shownError, type ShownError } from '../errors';
import { models } from './models.svelte';
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

class TrainingState {
  #settings = $state<TrainSettings>({ epochs: 3, batchSize: 256, methods: ['base', 'duet'] });
  #running = $state(false);
  #progress = $state.raw<RunProgress | null>(null);
  #loss = $state.raw<Record<string, Series>>({});
  #testUauc = $state.raw<Record<string, Series>>({});
  #result = $state.raw<Record<string, Metrics> | null>(null);
  #error = $state.raw<ShownError | null>(null);
  #notice = $state('');
  #pending = $state.raw<PendingTraining | null>(null);
  #estimate = $state.raw<TrainEstimate | null>(null);
  #estimateTicket = 0;

  get settings(): Readonly<TrainSettings> {
    return this.#settings;
  }
  get running(): boolean {
    return this.#running;
  }
  get progress(): RunProgress | null {
    return this.#progress;
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
    return this.#error;
  }
  get notice(): string {
    return this.#notice;
  }
  get pending(): PendingTraining | null {
    return this.#pending;
  }
  get estimate(): TrainEstimate | null {
    return this.#estimate;
  }

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

  /** Reads the unfinished run the worker kept, if any: it is offered, never started. */
  async loadPending(): Promise<void> {
    try {
      this.#pending = await engine().pendingTraining();
    } catch {
      this.#pending = null;
    }
  }

  request(resume: boolean): TrainRequest {
    return {
      datasetId: pageUrl.dataset,
      backbone: pageUrl.backbone,
      methods: [...this.#settings.methods],
      model: {},
      duet: {},
      train: { epochs: this.#settings.epochs, batchSize: this.#settings.batchSize },
      resume,
    };
  }

  /** The time the settings' run would take, shown before Train is pressed. */
  async refreshEstimate(): Promise<void> {
    const ticket = ++this.#estimateTicket;
    const req = this.request(false);
    if (!req.datasetId || !req.methods.length) {
      this.#estimate = null;
      return;
    }
    try {
      const estimate = await engine().estimateTraining(req);
      if (ticket === this.#estimateTicket) this.#estimate = estimate;
    } catch {
      if (ticket === this.#estimateTicket) this.#estimate = null;
    }
  }

  async start(): Promise<void> {
    await this.run(this.request(false));
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
    await this.run({ ...p.request, resume: true }, savedText(p));
  }

  async discard(): Promise<void> {
    await engine().discardPendingTraining();
    this.#pending = null;
    this.#notice = 'The unfinished run was discarded; the epochs it saved stay usable as models.';
  }

  private async run(req: TrainRequest, resumedFrom?: string): Promise<void> {
    if (this.#running || !req.methods.length) return;
    this.#running = true;
    this.#error = null;
    this.#notice = resumedFrom ? `Resuming: continuing after the ${resumedFrom.replace(' saved', '')} already saved.` : '';
    this.#result = null;
    this.#progress = null;
    this.#loss = {};
    this.#testUauc = {};
    this.#pending = null;
    try {
      this.#result = await engine().train(
        req,
        Comlink.proxy((p: RunProgress) => this.onProgress(p)),
      );
      this.#notice = 'Training finished: the session now uses these models.';
      await models.refresh(req.datasetId);
    } catch (err) {
      await this.loadPending();
      const saved = this.#pending ? ` ${capitalise(savedText(this.#pending))}; Resume continues from there.` : '';
      if (isCancelled(err)) {
        this.#notice = `Training cancelled; nothing will restart by itself.${saved}`;
      } else {
        this.#error = shownError(err);
        if (this.#error.code === 'device-lost') await models.refreshBackend();
      }
      await models.refresh(req.datasetId);
    } finally {
      this.#running = false;
    }
  }

  private onProgress(p: RunProgress): void {
    this.#progress = p;
    const x = p.epoch - 1 + p.step / Math.max(1, p.stepsPerEpoch);
    this.#loss = append(this.#loss, p.phase, x, p.loss);
    if (p.testUauc !== undefined) this.#testUauc = append(this.#testUauc, p.phase, p.epoch, p.testUauc);
  }

  cancel(): void {
    void engine().cancelTraining();
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
