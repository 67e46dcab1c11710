// Training in this tab: the request, live progress per phase, the series the charts draw,
// and resumption after a reload (the worker checkpoints every epoch in IndexedDB; the page
// remembers that a run was under way).
import type { Metrics, TrainProgress } from '../../engine/types';
import type { TrainRequest } from '../../../workers/api';
import { Comlink, engine } from '../engine';
import { isCancelled, shownError, type ShownError } from '../errors';
import { models } from './models.svelte';
import { pageUrl } from './url.svelte';

const pendingKey = 'duet.training.pending';

export interface TrainSettings {
  epochs: number;
  batchSize: number;
}

export interface Series {
  /** x: fractional epoch; y: value. */
  x: number[];
  y: number[];
}

class TrainingState {
  settings = $state<TrainSettings>({ epochs: 3, batchSize: 256 });
  running = $state(false);
  progress = $state.raw<TrainProgress | null>(null);
  loss = $state.raw<Record<string, Series>>({});
  testUauc = $state.raw<Record<string, Series>>({});
  result = $state.raw<Record<string, Metrics> | null>(null);
  error = $state<ShownError | null>(null);
  notice = $state('');

  /** A run that a reload interrupted, if any. */
  pending(): TrainRequest | null {
    try {
      const raw = localStorage.getItem(pendingKey);
      return raw ? (JSON.parse(raw) as TrainRequest) : null;
    } catch {
      return null;
    }
  }

  request(resume: boolean): TrainRequest {
    return {
      datasetId: pageUrl.dataset,
      backbone: pageUrl.backbone,
      methods: ['base', 'duet'],
      model: {},
      duet: {},
      train: { epochs: this.settings.epochs, batchSize: this.settings.batchSize },
      resume,
    };
  }

  async run(req: TrainRequest): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = null;
    this.notice = req.resume ? 'Resuming from the last saved epoch…' : '';
    this.result = null;
    this.loss = {};
    this.testUauc = {};
    localStorage.setItem(pendingKey, JSON.stringify({ ...req, resume: true }));
    try {
      this.result = await engine().train(req, Comlink.proxy((p: TrainProgress) => this.onProgress(p)));
      localStorage.removeItem(pendingKey);
      this.notice = 'Training finished; the session below now uses this model.';
      await models.refresh(req.datasetId);
    } catch (err) {
      if (isCancelled(err)) {
        this.notice = 'Training cancelled. The last finished epoch is saved: Resume continues from it.';
      } else {
        this.error = shownError(err);
        if (this.error.code === 'device-lost') await models.refreshBackend();
      }
    } finally {
      this.running = false;
    }
  }

  private onProgress(p: TrainProgress): void {
    this.progress = p;
    const x = p.epoch - 1 + p.step / Math.max(1, p.stepsPerEpoch);
    this.loss = append(this.loss, p.phase, x, p.loss);
    if (p.testUauc !== undefined) this.testUauc = append(this.testUauc, p.phase, p.epoch, p.testUauc);
  }

  cancel(): void {
    void engine().cancelTraining();
  }

  resume(): void {
    const req = this.pending() ?? this.request(true);
    this.settings = {
      epochs: req.train.epochs ?? this.settings.epochs,
      batchSize: req.train.batchSize ?? this.settings.batchSize,
    };
    void this.run({ ...req, resume: true });
  }

  forget(): void {
    localStorage.removeItem(pendingKey);
  }
}

function append(all: Record<string, Series>, key: string, x: number, y: number): Record<string, Series> {
  if (!Number.isFinite(y)) return all;
  const s = all[key] ?? { x: [], y: [] };
  return { ...all, [key]: { x: [...s.x, x], y: [...s.y, y] } };
}

export const training = new TrainingState();
