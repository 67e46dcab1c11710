// One long operation (an import, an evaluation, a model file): busy, progress, error,
// cancel and the closing sentence, so each component does not repeat that bookkeeping.
import { isCancelled, shownError, type ShownError } from '../errors';

export class LongTask<P = never> {
  #busy = $state(false);
  #progress = $state.raw<P | null>(null);
  #error = $state.raw<ShownError | null>(null);
  #notice = $state('');
  readonly #cancel: (() => unknown) | undefined;
  readonly #cancelledNotice: string | (() => string);

  /** `cancelledNotice`: the closing sentence of a cancelled run (a function: read when it ends). */
  constructor(options: { cancel?: () => unknown; cancelledNotice?: string | (() => string) } = {}) {
    this.#cancel = options.cancel;
    this.#cancelledNotice = options.cancelledNotice ?? 'Cancelled.';
  }

  get busy(): boolean {
    return this.#busy;
  }
  get progress(): P | null {
    return this.#progress;
  }
  get error(): ShownError | null {
    return this.#error;
  }
  get notice(): string {
    return this.#notice;
  }

  /**
   * Runs `work` unless one is already running. `done` turns the result into the closing
   * sentence. Resolves to the result, or undefined when it failed or was cancelled.
   */
  async run<T>(work: (onProgress: (p: P) => void) => Promise<T>, done?: (result: T) => string): Promise<T | undefined> {
    if (this.#busy) return undefined;
    this.#busy = true;
    this.#error = null;
    this.#notice = '';
    this.#progress = null;
    try {
      const result = await work((p) => {
        this.#progress = p;
      });
      this.#notice = done?.(result) ?? '';
      return result;
    } catch (err) {
      if (isCancelled(err)) this.#notice = typeof this.#cancelledNotice === 'string' ? this.#cancelledNotice : this.#cancelledNotice();
      else this.#error = shownError(err);
      return undefined;
    } finally {
      this.#busy = false;
      this.#progress = null;
    }
  }

  cancel(): void {
    void this.#cancel?.();
  }

  clear(): void {
    this.#error = null;
    this.#notice = '';
  }
}
