// Tensors derived from a model's weights that a DUET click reuses (the stacked [A; a; B] of
// each generated layer): built once, kept while the weights they come from are unchanged.
// A weight update (Adam, params.write) gives the variable new data (Variable.assign), so the
// identity of each source's data is the key: no caller has to remember to drop the cache.
import * as tf from '@tensorflow/tfjs-core';

export class DerivedTensors {
  private readonly entries = new Map<string, { sources: object[]; value: tf.Tensor }>();

  /** The tensor `build` made from `sources`, rebuilt only when one of them has other data. Owned here. */
  get<T extends tf.Tensor>(key: string, sources: tf.Tensor[], build: () => T): T {
    const ids = sources.map((t) => t.dataId as object);
    const hit = this.entries.get(key);
    if (hit && hit.sources.length === ids.length && hit.sources.every((id, i) => id === ids[i])) return hit.value as T;
    hit?.value.dispose();
    const value = tf.keep(tf.tidy(build));
    this.entries.set(key, { sources: ids, value });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  dispose(): void {
    for (const { value } of this.entries.values()) value.dispose();
    this.entries.clear();
  }
}
