// The datasets the page knows about, shared by the Data view and every other view.
import type { DatasetSummary, ImportProgress } from '../../data/types';
import { Comlink, engine } from '../engine';
import { shownError, type ShownError } from '../errors';
import { notices } from './notices.svelte';
import { pageUrl } from './url.svelte';

class DatasetsState {
  #list = $state.raw<DatasetSummary[]>([]);
  /** Progress of loading the default dataset on a first visit; null when idle. */
  #defaultProgress = $state.raw<ImportProgress | null>(null);
  #ready = $state(false);
  #error = $state.raw<ShownError | null>(null);

  get list(): DatasetSummary[] {
    return this.#list;
  }
  get defaultProgress(): ImportProgress | null {
    return this.#defaultProgress;
  }
  get ready(): boolean {
    return this.#ready;
  }
  get error(): ShownError | null {
    return this.#error;
  }

  selected = $derived(this.#list.find((d) => d.id === pageUrl.dataset) ?? this.#list[0]);

  async init(): Promise<void> {
    this.#error = null;
    try {
      this.#list = await engine().listDatasets();
      if (!this.#list.some((d) => d.format === 'default')) {
        this.#defaultProgress = { stage: 'reading', fraction: 0, message: 'Preparing the default dataset' };
        await engine().ensureDefaultDataset(
          Comlink.proxy((p: ImportProgress) => {
            this.#defaultProgress = p;
          }),
        );
        this.#list = await engine().listDatasets();
      }
    } catch (err) {
      this.#error = shownError(err);
    } finally {
      this.#defaultProgress = null;
      this.#ready = true;
    }
    if (!this.#list.some((d) => d.id === pageUrl.dataset) && this.#list[0]) {
      if (pageUrl.dataset) {
        notices.add(`The dataset "${pageUrl.dataset.slice(0, 40)}" from the link is not in this browser; showing "${this.#list[0].name}".`);
      }
      const fallback = this.#list.find((d) => d.format === 'default') ?? this.#list[0];
      pageUrl.setDataset(fallback.id);
    }
  }

  async refresh(): Promise<void> {
    this.#list = await engine().listDatasets();
  }

  select(id: string): void {
    if (id === pageUrl.dataset) return;
    pageUrl.setDataset(id);
    pageUrl.setUser('new');
    pageUrl.setClicks([]);
  }

  async remove(id: string): Promise<void> {
    this.#error = null;
    try {
      await engine().deleteDataset(id);
      await this.refresh();
      if (pageUrl.dataset === id) this.select(this.#list[0]?.id ?? '');
    } catch (err) {
      this.#error = shownError(err);
    }
  }

  added(summary: DatasetSummary): void {
    this.#list = [...this.#list.filter((d) => d.id !== summary.id), summary];
    this.select(summary.id);
  }
}

export const datasets = new DatasetsState();
