// Errors cross the Comlink boundary as plain { name, code, message } values: Comlink's own
// error transfer drops `code`, and the page must never see a stack.
import type { EngineFailure } from './api';

export function toFailure(err: unknown): EngineFailure {
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { name?: unknown; code?: unknown; message: unknown };
    const name = typeof e.name === 'string' ? e.name : 'Error';
    const code = typeof e.code === 'string' ? e.code : 'unknown';
    return { name, code, message: String(e.message) };
  }
  return { name: 'Error', code: 'unknown', message: String(err) };
}

/** Wraps every method so a rejection carries an EngineFailure instead of an Error. */
export function withFailures<T extends object>(api: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(api)) {
    wrapped[key] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => unknown).apply(api, args);
            } catch (err) {
              console.error(err);
              throw toFailure(err);
            }
          }
        : value;
  }
  return wrapped as T;
}
