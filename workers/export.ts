// A prepared dataset as one downloadable file: the DUET reference's train.txt + test.txt in
// one zip, or a RecBole `.inter`. Text parts are encoded and compressed one at a time, so a
// large dataset never becomes one string; only the (compressed) output is held, as a Blob.
import { Zip, ZipDeflate } from 'fflate';
import { datasetSlug, exportDataset, type ExportedFile } from '../src/data/export';
import type { Dataset } from '../src/data/types';

export type ExportFormat = 'duet' | 'recbole';

/** "movielens-1m-duet.zip", "movielens-1m.inter": the dataset's name and the format. */
export function exportFileName(datasetName: string, format: ExportFormat): string {
  const slug = datasetSlug(datasetName);
  return format === 'duet' ? `${slug}-duet.zip` : `${slug}.inter`;
}

function zipped(files: ExportedFile[]): Blob {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  const encoder = new TextEncoder();
  for (const f of files) {
    const entry = new ZipDeflate(f.name, { level: 6 });
    zip.add(entry);
    f.parts.forEach((part, i) => entry.push(encoder.encode(part), i === f.parts.length - 1));
    if (!f.parts.length) entry.push(new Uint8Array(0), true);
  }
  zip.end();
  return new Blob(chunks as BlobPart[], { type: 'application/zip' });
}

/** The dataset exported in `format` as one file, with its download name. */
export function exportBlob(d: Dataset, format: ExportFormat): { fileName: string; blob: Blob } {
  const files = exportDataset(d, format);
  const blob = format === 'duet' ? zipped(files) : new Blob(files[0].parts, { type: 'text/tab-separated-values' });
  return { fileName: exportFileName(d.name, format), blob };
}
