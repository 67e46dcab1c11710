// The page's shareable state lives in the URL (STYLE.md habit 5): a link or a reload
// reproduces the session. Fields are runes; every change is written back with replaceState.
import type { Backbone, BackendName } from '../../engine/types';
import { pageSearch, parsePageState, type SessionMethod, type UserChoice } from './url-codec';

export type { SessionMethod, UserChoice };

export class PageUrl {
  dataset = $state('');
  backbone = $state<Backbone>('sasrec');
  backend = $state<BackendName | 'auto'>('auto');
  user = $state<UserChoice>('new');
  clicks = $state<number[]>([]);
  method = $state<SessionMethod>('duet');

  constructor(search: string) {
    const s = parsePageState(search);
    this.dataset = s.dataset;
    this.backbone = s.backbone;
    this.backend = s.backend;
    this.user = s.user;
    this.clicks = s.clicks;
    this.method = s.method;
  }

  toSearch(): string {
    return pageSearch(this);
  }
}

export const pageUrl = new PageUrl(typeof location === 'undefined' ? '' : location.search);

if (typeof history !== 'undefined') {
  $effect.root(() => {
    $effect(() => {
      const search = pageUrl.toSearch();
      if (search !== location.search) {
        history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
      }
    });
  });
}
