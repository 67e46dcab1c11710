// A prepared dataset written out for other tools: the DUET reference's text files
// (train.txt with the training and validation rows, test.txt) and a RecBole atomic `.inter`
// file of the filtered histories. Files come as lists of text parts (a few thousand lines
// each) so a large dataset never becomes one string; `new Blob(parts)` or a stream joins them.
import { readRows } from './samples';
import type { Dataset, Samples } from './types';
import { DataError } from './types';

export interface ExportedFile {
  name: string;
  parts: string[];
}

const ROWS_PER_PART = 4096;

/** Lines `user;target;trigger_seq;click_seq;label` of a sample set, dense ids; training negatives as drawn for epoch 0. */
function* duetLines(s: Samples): Generator<string> {
  const L = s.seqLen;
  for (let start = 0; start < s.count; start += ROWS_PER_PART) {
    const indices = Array.from({ length: Math.min(ROWS_PER_PART, s.count - start) }, (_, k) => start + k);
    const rows = readRows(s, indices, 0);
    let text = '';
    for (let b = 0; b < rows.size; b++) {
      const trigger = rows.trigger.subarray(b * L, b * L + L).join(',');
      const click = rows.click.subarray(b * L, b * L + L).join(',');
      text += `${rows.user[b]};${rows.target[b]};${trigger};${click};${rows.label[b]}\n`;
    }
    yield text;
  }
}

/** train.txt (training rows, then validation rows) and test.txt, as the reference reads them. */
export function exportDuetText(d: Dataset): ExportedFile[] {
  return [
    { name: 'train.txt', parts: [...duetLines(d.train), ...duetLines(d.valid)] },
    { name: 'test.txt', parts: [...duetLines(d.test)] },
  ];
}

/** The filtered histories as a RecBole `.inter` file; the timestamp is each interaction's place in its user's history. */
export function exportRecboleInter(d: Dataset): ExportedFile[] {
  const h = d.histories;
  if (!h) throw new DataError('unknown', `"${d.name}" came as DUET samples and has no histories to export as .inter.`);
  const parts: string[] = ['user_id:token\titem_id:token\ttimestamp:float\n'];
  const numUsers = h.offsets.length - 1;
  let text = '';
  for (let u = 0; u < numUsers; u++) {
    for (let k = h.offsets[u]; k < h.offsets[u + 1]; k++)
      text += `${h.sourceIds[u]}\t${d.items[h.items[k]].sourceId}\t${k - h.offsets[u]}\n`;
    if (text.length > 1 << 20) {
      parts.push(text);
      text = '';
    }
  }
  if (text) parts.push(text);
  return [{ name: `${datasetSlug(d.name)}.inter`, parts }];
}

/** A dataset's name as a file name: lower case, letters and digits joined by dashes. */
export function datasetSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 80)
      .replace(/-+$/, '') || 'dataset'
  );
}

/** Either export by name: what a button in the UI or a CLI flag calls. */
export function exportDataset(d: Dataset, format: 'duet' | 'recbole'): ExportedFile[] {
  return format === 'duet' ? exportDuetText(d) : exportRecboleInter(d);
}
