// The datasets the page knows about, shared by the Data step and every later step.
import type { DatasetSummary, ImportProgress } from '../../data/types';
import { Comlink, engine } from '../engine';
import { shownError, type ShownError } from '../errors';
import { pageUrl } from './url.svelte';

class DatasetsState {
  list = $state<DatasetSummary[]>([]);
  /** Progress of loading the default dataset on a first visit; null when idle. */
  defaultProgress = $state<ImportProgress | null>(null);
  ready = $state(false);
  error = $state<ShownError | null>(null);

  selected = $derived(this.list.find((d) => d.id === pageUrl.dataset) ?? this.list[0]);

  async init(): Promise<void> {
    this.error = null;
    try {
      this.list = await engine().listDatasets();
      if (!this.list.some((d) => d.format === 'default')) {
        this.defaultProgress = { stage: 'reading', fraction: 0, message: 'Preparing the default dataset' };
        await engine().ensureDefaultDataset(
          Comlink.proxy((p: ImportProgress) => {
            this.defaultProgress = p;
          }),
        );
        this.list = await engine().listDatasets();
      }
    } catch (err) {
      this.error = shownError(err);
    } finally {
      this.defaultProgress = null;
      this.ready = true;
    }
    if (!this.list.some((d) => d.id === pageUrl.dataset) && this.list[0]) {
      pageUrl.dataset = this.list[0].id;
    }
  }

  async refresh(): Promise<void> {
    this.list = await engine().listDatasets();
  }

  select(id: string): void {
    if (id === pageUrl.dataset) return;
    pageUrl.dataset = id;
    pageUrl.user = 'new';
    pageUrl.clicks = [];
  }

  async remove(id: string): Promise<void> {
    this.error = null;
    try {
      await engine().deleteDataset(id);
      await this.refresh();
      if (pageUrl.dataset === id) this.select(this.list[0]?.id ?? '');
    } catch (err) {
      this.error = shownError(err);
    }
  }

  added(summary: DatasetSummary): void {
    this.list = [...this.list.filter((d) => d.id !== summary.id), summary];
    this.select(summary.id);
  }
}

export const datasets = new DatasetsState();
