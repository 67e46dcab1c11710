// Turns whatever a worker call rejected with into a sentence for the page. The worker
// rejects with { name, code, message } (workers/api.ts EngineFailure); never show a stack.
export interface ShownError {
  code: string;
  message: string;
}

export function shownError(err: unknown): ShownError {
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { code?: unknown; message: unknown };
    const message = String(e.message || 'Something went wrong.');
    return { code: typeof e.code === 'string' ? e.code : 'unknown', message: firstLine(message) };
  }
  return { code: 'unknown', message: firstLine(String(err ?? 'Something went wrong.')) };
}

function firstLine(text: string): string {
  // A message that slipped through with a stack attached: keep the sentence only.
  return text.split('\n    at ')[0].trim();
}

export function isCancelled(err: unknown): boolean {
  return shownError(err).code === 'cancelled';
}
