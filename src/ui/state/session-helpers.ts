// Pure pieces of the session state, testable without Svelte.
export { clickedGenres, dominantGenre, interestGenres, matchShare, percentile } from '../session/ranking';
import { unknownItems } from './url-codec';

/** The notice for a link's clicks this catalog does not hold, and the clicks kept. */
export function unknownItemsNotice(clicks: readonly number[], catalogSize: number): { text: string; kept: number[] } | null {
  const unknown = unknownItems([...clicks], catalogSize);
  if (!unknown.length) return null;
  const kept = clicks.filter((id) => !unknown.includes(id));
  const shown = unknown.slice(0, 3).join(', ') + (unknown.length > 3 ? '…' : '');
  const text = `The link's ${unknown.length === 1 ? 'item' : 'items'} ${shown} ${unknown.length === 1 ? 'is' : 'are'} not in this catalog (ids 1 to ${catalogSize - 1}); left out.`;
  return { text, kept };
}
