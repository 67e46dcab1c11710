// Presenter mode: keys drive the session while the catalog is hidden. N clicks the next
// item of the current genre, G moves to the next genre (and starts over), U undoes, R resets.
import { session } from './session.svelte';
import { pageUrl } from './url.svelte';

class Presenter {
  #genre = $state('');

  get genre(): string {
    return this.#genre || this.defaultGenre();
  }

  private defaultGenre(): string {
    return session.target.genres[0] ?? session.genres[0] ?? '';
  }

  /** Clicks the first item of the current genre not clicked yet. */
  clickNext(): void {
    const genre = this.genre;
    this.#genre = genre;
    session.preferGenre(genre);
    const clicked = new Set(pageUrl.clicks);
    const item = session.catalog.find((i) => i && i.id > 0 && i.genres.includes(genre) && !clicked.has(i.id));
    if (item) session.click(item.id);
  }

  nextGenre(): void {
    const all = session.genres;
    if (!all.length) return;
    this.#genre = all[(all.indexOf(this.genre) + 1) % all.length];
    session.preferGenre(this.#genre);
    session.reset();
  }

  /** The key handler while presenting; true when the key was one of ours. */
  key(e: KeyboardEvent): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return false;
    const actions: Record<string, () => void> = {
      n: () => this.clickNext(),
      g: () => this.nextGenre(),
      u: () => session.undo(),
      r: () => session.reset(),
      Escape: () => pageUrl.setPresent(false),
    };
    const action = actions[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (!action) return false;
    action();
    return true;
  }
}

export const presenter = new Presenter();
