// The page's shareable state lives in the URL: a link or a reload reproduces the session.
// The query holds the session (dataset, backbone, user, clicks...), the hash the view
// (#session, #train...). Fields are private runes behind getters; every change is written
// back with replaceState, so the back button moves between views, not between clicks.
import type { Backbone, BackendName } from '../../engine/types';
import { notices } from './notices.svelte';
import { pageSearch, readPageState, type PageState, type SessionMethod, type UserChoice } from './url-codec';

export type { SessionMethod, UserChoice };

export const views = [
  { id: 'session', label: 'Session' },
  { id: 'data', label: 'Data' },
  { id: 'train', label: 'Train' },
  { id: 'inside', label: 'Look inside' },
  { id: 'evaluation', label: 'Evaluation' },
  { id: 'how-it-works', label: 'How it works' },
] as const;
export type View = (typeof views)[number]['id'];

export function viewOf(hash: string): View {
  const id = hash.replace(/^#\/?/, '');
  return views.find((v) => v.id === id)?.id ?? 'session';
}

export class PageUrl {
  #dataset = $state('');
  #backbone = $state<Backbone>('sasrec');
  #backend = $state<BackendName | 'auto'>('auto');
  #user = $state<UserChoice>('new');
  #clicks = $state.raw<number[]>([]);
  #method = $state<SessionMethod>('duet');
  #present = $state(false);
  #view = $state<View>('session');

  constructor(search: string, hash: string) {
    const { state, notices: found } = readPageState(search);
    this.#dataset = state.dataset;
    this.#backbone = state.backbone;
    this.#backend = state.backend;
    this.#user = state.user;
    this.#clicks = state.clicks;
    this.#method = state.method;
    this.#present = state.present;
    this.#view = viewOf(hash);
    for (const n of found) notices.add(n);
  }

  get dataset(): string {
    return this.#dataset;
  }
  get backbone(): Backbone {
    return this.#backbone;
  }
  get backend(): BackendName | 'auto' {
    return this.#backend;
  }
  get user(): UserChoice {
    return this.#user;
  }
  get clicks(): readonly number[] {
    return this.#clicks;
  }
  get method(): SessionMethod {
    return this.#method;
  }
  get present(): boolean {
    return this.#present;
  }
  get view(): View {
    return this.#view;
  }

  setDataset(id: string): void {
    this.#dataset = id;
  }
  setBackbone(b: Backbone): void {
    this.#backbone = b;
  }
  setBackend(b: BackendName | 'auto'): void {
    this.#backend = b;
  }
  setUser(u: UserChoice): void {
    this.#user = u;
  }
  setClicks(ids: readonly number[]): void {
    this.#clicks = [...ids];
  }
  setMethod(m: SessionMethod): void {
    this.#method = m;
  }
  setPresent(on: boolean): void {
    this.#present = on;
  }
  /** Follows the address bar's hash (links, back/forward). */
  followHash(hash: string): void {
    this.#view = viewOf(hash);
  }

  state(): PageState {
    return {
      dataset: this.#dataset,
      backbone: this.#backbone,
      backend: this.#backend,
      user: this.#user,
      clicks: this.#clicks,
      method: this.#method,
      present: this.#present,
    };
  }

  toSearch(): string {
    return pageSearch(this.state());
  }
}

const hasLocation = typeof location !== 'undefined';
export const pageUrl = new PageUrl(hasLocation ? location.search : '', hasLocation ? location.hash : '');

if (typeof history !== 'undefined') {
  addEventListener('hashchange', () => pageUrl.followHash(location.hash));
  $effect.root(() => {
    $effect(() => {
      const search = pageUrl.toSearch();
      if (search !== location.search) {
        history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
      }
    });
  });
}
