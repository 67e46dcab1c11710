// The page's shareable state <-> the query string. Plain functions so they can be tested
// without Svelte; url.svelte.ts holds the live state.
import type { Backbone, BackendName } from '../../engine/types';

export type SessionMethod = 'base' | 'finetune' | 'duet';
export type UserChoice = number | 'new';

export interface PageState {
  dataset: string;
  backbone: Backbone;
  backend: BackendName | 'auto';
  user: UserChoice;
  /** Item ids clicked this session, oldest first. */
  clicks: number[];
  method: SessionMethod;
}

const backbones: Backbone[] = ['sasrec', 'gru4rec', 'din'];
const backends: (BackendName | 'auto')[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
const methods: SessionMethod[] = ['base', 'finetune', 'duet'];

function pick<T extends string>(value: string | null, allowed: T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Unknown or malformed values fall back to the defaults: a link never breaks the page. */
export function parsePageState(search: string): PageState {
  const q = new URLSearchParams(search);
  const user = q.get('user');
  return {
    dataset: q.get('dataset') ?? '',
    backbone: pick(q.get('backbone'), backbones, 'sasrec'),
    backend: pick(q.get('backend'), backends, 'auto'),
    user: user && /^\d+$/.test(user) ? Number(user) : 'new',
    clicks: (q.get('clicks') ?? '')
      .split(/[.,]/)
      .filter((s) => /^\d+$/.test(s))
      .map(Number)
      .filter((n) => n > 0),
    method: pick(q.get('method'), methods, 'duet'),
  };
}

/** The query string for a state; defaults are left out so links stay short. */
export function pageSearch(s: PageState): string {
  const q = new URLSearchParams();
  if (s.dataset) q.set('dataset', s.dataset);
  if (s.backbone !== 'sasrec') q.set('backbone', s.backbone);
  if (s.backend !== 'auto') q.set('backend', s.backend);
  if (s.user !== 'new') q.set('user', String(s.user));
  if (s.clicks.length) q.set('clicks', s.clicks.join('.'));
  if (s.method !== 'duet') q.set('method', s.method);
  const text = q.toString();
  return text ? `?${text}` : '';
}
