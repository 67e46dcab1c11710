// Which backend the worker runs on and which trained models exist for the chosen dataset.
import type { BackendName } from '../../engine/types';
import type { ModelInfo } from '../../../workers/api';
import { engine } from '../engine';
import { shownError, type ShownError } from '../errors';
import { notices } from './notices.svelte';
import { pageUrl } from './url.svelte';

export interface ActiveBackend {
  name: BackendName;
  software: boolean;
}

class ModelsState {
  #backend = $state.raw<ActiveBackend | null>(null);
  #backendError = $state.raw<ShownError | null>(null);
  #list = $state.raw<ModelInfo[]>([]);
  /** The dataset the list was read for: until then, "no model" is not known yet. */
  #listedFor = $state('');

  get backend(): ActiveBackend | null {
    return this.#backend;
  }
  get backendError(): ShownError | null {
    return this.#backendError;
  }
  get list(): ModelInfo[] {
    return this.#list;
  }
  get listedFor(): string {
    return this.#listedFor;
  }

  /** The models for the URL's backbone, keyed by method. */
  forBackbone = $derived(this.#list.filter((m) => m.backbone === pageUrl.backbone));
  duet = $derived(this.forBackbone.find((m) => m.method === 'duet'));
  base = $derived(this.forBackbone.find((m) => m.method === 'base'));
  ready = $derived(Boolean(this.duet && this.base));

  /**
   * Starts the engine on a backend. One this browser lacks (WebGPU without a GPU adapter...)
   * falls back to what works, says so in one line, and leaves the URL without it.
   */
  async useBackend(choice: BackendName | 'auto'): Promise<void> {
    this.#backendError = null;
    this.#backend = null;
    try {
      this.#backend = await engine().setBackend(choice);
    } catch {
      pageUrl.setBackend('auto');
      await this.refreshBackend();
      const now = this.#backend as ActiveBackend | null;
      notices.add(
        `${choice === 'webgpu' ? 'WebGPU' : choice.toUpperCase()} is not available in this browser; the engine runs on ${now?.name ?? 'another backend'} instead.`,
      );
    }
  }

  /** Re-reads the backend the worker runs on (it falls back to WASM when a GPU is lost). */
  async refreshBackend(): Promise<void> {
    try {
      const b = await engine().backend();
      this.#backend = { name: b.name, software: b.software };
    } catch (err) {
      this.#backendError = shownError(err);
    }
  }

  async refresh(datasetId: string): Promise<void> {
    if (!datasetId) {
      this.#list = [];
      return;
    }
    try {
      this.#list = await engine().listModels(datasetId);
    } catch {
      this.#list = [];
    }
    this.#listedFor = datasetId;
  }
}

export const models = new ModelsState();

export function describeModel(m: ModelInfo): string {
  const source = { shipped: 'shipped with the app', 'trained-here': 'trained in this browser', imported: 'imported' }[m.source];
  return `${m.method.toUpperCase()} ${m.backbone}, ${source}: ${m.trainedWith}`;
}
