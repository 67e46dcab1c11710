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
  /** Presenter mode: large type, only the clicks, the lists and the per-click chart. */
  present: boolean;
}

export const backbones: Backbone[] = ['sasrec', 'gru4rec', 'din'];
export const backends: (BackendName | 'auto')[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
const methods: SessionMethod[] = ['base', 'finetune', 'duet'];

/** What a link asked for that the page could not honour, as one line for the visitor. */
export type LinkNotice = string;

/**
 * Unknown or malformed values fall back to the defaults: a link never breaks the page. Each
 * value dropped is reported in `notices` so the page can say so and clean the URL.
 */
export function readPageState(search: string): { state: PageState; notices: LinkNotice[] } {
  const q = new URLSearchParams(search);
  const notices: LinkNotice[] = [];
  function pick<T extends string>(key: string, allowed: T[], fallback: T, what: string): T {
    const value = q.get(key);
    if (value === null) return fallback;
    if (allowed.includes(value as T)) return value as T;
    notices.push(`The link asked for ${what} "${short(value)}", which this app does not have; using ${fallback}.`);
    return fallback;
  }
  const userText = q.get('user');
  let user: UserChoice = 'new';
  if (userText !== null) {
    if (/^\d+$/.test(userText)) user = Number(userText);
    else notices.push(`The link's user "${short(userText)}" is not a test user number; starting as a new visitor.`);
  }
  const clickParts = (q.get('clicks') ?? '').split(/[.,]/).filter((s) => s !== '');
  const clicks = clickParts
    .filter((s) => /^\d+$/.test(s))
    .map(Number)
    .filter((n) => n > 0);
  if (clicks.length < clickParts.length) {
    const dropped = clickParts.length - clicks.length;
    notices.push(`${dropped} of the link's clicks ${dropped === 1 ? 'is not an item id' : 'are not item ids'}; left out.`);
  }
  const state: PageState = {
    dataset: q.get('dataset') ?? '',
    backbone: pick('backbone', backbones, 'sasrec', 'the backbone'),
    backend: pick('backend', backends, 'auto', 'the backend'),
    user,
    clicks,
    method: pick('method', methods, 'duet', 'the list'),
    present: q.has('present') && q.get('present') !== '0',
  };
  return { state, notices };
}

export function parsePageState(search: string): PageState {
  return readPageState(search).state;
}

/** Item ids a catalog of `catalogSize` entries (index 0 = padding) does not hold. */
export function unknownItems(clicks: number[], catalogSize: number): number[] {
  return clicks.filter((id) => !Number.isInteger(id) || id < 1 || id >= catalogSize);
}

function short(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
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
  return (text ? `?${text}` : '') + (s.present ? `${text ? '&' : '?'}present` : '');
}
