// Hands a file made in the worker to the browser's downloads.

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The download has started from the URL by then; a large file may still be read from it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
