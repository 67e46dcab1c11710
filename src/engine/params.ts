// The parameter registry: one place that owns every tf.Variable of a model, by logical name,
// so models can be saved, loaded, copied and (later) packed. Initialisers draw from the shared
// seeded RNG on the host, so the same seed gives the same weights on every backend.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, randomNormal, type Rng } from '../random';

export type Init = 'xavier' | 'zeros' | 'ones' | 'normal-mod2';

export interface ParamSpec {
  name: string;
  shape: number[];
  init: Init;
  /** Generator output projections (A_i, a_i, B_i, c_i): frozen when DuetConfig.freezeProjections. */
  projection?: boolean;
  /** Multiplies the initial values (default 1). */
  scale?: number;
}

/** A named host array: how weights and optimiser state leave tfjs. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

let nextStoreId = 0;

export class ParamStore {
  readonly vars = new Map<string, tf.Variable>();
  readonly specs = new Map<string, ParamSpec>();
  /** tfjs variable names are global; each store gets its own prefix. */
  private readonly prefix = `m${nextStoreId++}/`;

  add(spec: ParamSpec, values: Float32Array): void {
    if (this.vars.has(spec.name)) throw new Error(`parameter ${spec.name} defined twice`);
    const v = tf.tidy(() => tf.variable(tf.tensor(values, spec.shape, 'float32'), true, this.prefix + spec.name));
    this.vars.set(spec.name, v);
    this.specs.set(spec.name, spec);
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`unknown parameter ${name}`);
    return v;
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  /** Logical name of a tfjs variable name (variableGrads keys grads by the latter). */
  logicalName(variableName: string): string {
    return variableName.startsWith(this.prefix) ? variableName.slice(this.prefix.length) : variableName;
  }

  /**
   * Host copies of all weights, in registry order. Async on purpose: a synchronous read
   * (dataSync) on WebGPU in a worker returns zeros and breaks the device for later reads.
   */
  async read(): Promise<NamedArray[]> {
    return Promise.all(
      this.names().map(async (name) => {
        const v = this.get(name);
        return { name, shape: [...v.shape], data: new Float32Array(await v.data()) };
      }),
    );
  }

  /** A copy with its own variables, made on the device (no host round trip). */
  clone(): ParamStore {
    const copy = new ParamStore();
    for (const [name, v] of this.vars) {
      copy.vars.set(
        name,
        tf.tidy(() => tf.variable(v.clone(), v.trainable, copy.prefix + name)),
      );
      copy.specs.set(name, this.specs.get(name)!);
    }
    return copy;
  }

  /** Overwrites weights by name; every registered parameter must be present with its shape. */
  write(weights: NamedArray[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const [name, v] of this.vars) {
      const w = byName.get(name);
      if (!w) throw new Error(`weights lack parameter ${name}`);
      if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i]) || w.data.length !== v.size) {
        throw new Error(`parameter ${name}: shape [${w.shape}] does not match the model's [${v.shape}]`);
      }
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape, 'float32')));
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Xavier/Glorot uniform over a 2-D shape [fanIn, fanOut] (1-D: treated as [1, n]). */
function xavier(rng: Rng, shape: number[]): Float32Array {
  const fanIn = shape.length >= 2 ? shape[0] : 1;
  const fanOut = shape.length >= 2 ? sizeOf(shape.slice(1)) : shape[0];
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = (rng() * 2 - 1) * limit;
  return out;
}

/** Standard normal folded into (-2, 2) by remainder, as the reference initialises its projections. */
function normalMod2(rng: Rng, size: number, scale: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (randomNormal(rng) % 2) * scale;
  return out;
}

export function initialValues(rng: Rng, spec: ParamSpec): Float32Array {
  const size = sizeOf(spec.shape);
  switch (spec.init) {
    case 'xavier':
      return xavier(rng, spec.shape);
    case 'zeros':
      return new Float32Array(size);
    case 'ones':
      return new Float32Array(size).fill(1);
    case 'normal-mod2':
      return normalMod2(rng, size, spec.scale ?? 1);
  }
}

/** Creates a store with all parameters initialised from `seed`, in spec order. */
export function createParams(specs: ParamSpec[], seed: number): ParamStore {
  const rng = createRng(seed);
  const store = new ParamStore();
  for (const spec of specs) store.add(spec, initialValues(rng, spec));
  return store;
}
