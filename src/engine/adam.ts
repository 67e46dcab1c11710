// Adam (PyTorch's form: bias-corrected step, eps added to the corrected sqrt(v)) with its state
// exposed by parameter name, so a checkpoint resumes exactly.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedArray } from './params';

export class Adam {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  /** Steps taken. */
  steps = 0;
  /** Use the AdamUpdate kernel where registered (tests and benchmarks switch it off to compare). */
  fused = true;

  constructor(
    readonly learningRate: number,
    /** Logical name -> variable, for every variable this optimiser updates. */
    private readonly params: Map<string, tf.Variable>,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    for (const [name, p] of params) {
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
    }
  }

  /**
   * One update from gradients keyed by logical name. Call inside tf.tidy. Where the
   * AdamUpdate kernel is registered (wasm, cpu: kernels/adam.ts) every parameter is updated
   * in one kernel call with the same float32 operations as the op-by-op form below.
   */
  apply(grads: Map<string, tf.Tensor>): void {
    this.steps++;
    const stepSize = this.learningRate / (1 - this.beta1 ** this.steps);
    const vScale = 1 / Math.sqrt(1 - this.beta2 ** this.steps);
    const entries = [...grads].map(([name, g]) => {
      const p = this.params.get(name);
      const m = this.m.get(name);
      const v = this.v.get(name);
      if (!p || !m || !v) throw new Error(`Adam: no parameter ${name}`);
      return { p, m, v, g };
    });
    if (this.fused && tf.getKernel('AdamUpdate', tf.getBackend()) !== undefined) {
      const inputs: tf.NamedTensorMap = {};
      entries.forEach(({ p, m, v, g }, i) => Object.assign(inputs, { [`p${i}`]: p, [`m${i}`]: m, [`v${i}`]: v, [`g${i}`]: g }));
      const attrs = {
        count: entries.length,
        beta1: this.beta1,
        oneMinusBeta1: 1 - this.beta1,
        beta2: this.beta2,
        oneMinusBeta2: 1 - this.beta2,
        vScale,
        epsilon: this.epsilon,
        stepSize,
      };
      const outs = tf.engine().runKernel('AdamUpdate', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      entries.forEach(({ p, m, v }, i) => {
        p.assign(outs[3 * i]);
        m.assign(outs[3 * i + 1]);
        v.assign(outs[3 * i + 2]);
      });
      return;
    }
    for (const { p, m, v, g } of entries) {
      const mNext = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
      const vNext = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      m.assign(mNext);
      v.assign(vNext);
      const denom = tf.add(tf.mul(tf.sqrt(vNext), vScale), this.epsilon);
      p.assign(tf.sub(p, tf.mul(tf.div(mNext, denom), stepSize)));
    }
  }

  /** Host copy of the state (async: see ParamStore.read). */
  async state(): Promise<NamedArray[]> {
    const out: NamedArray[] = [{ name: 'adam.steps', shape: [], data: new Float32Array([this.steps]) }];
    for (const [name, m] of this.m) {
      const v = this.v.get(name)!;
      const [mData, vData] = await Promise.all([m.data(), v.data()]);
      out.push({ name: `adam.m/${name}`, shape: [...m.shape], data: new Float32Array(mData) });
      out.push({ name: `adam.v/${name}`, shape: [...m.shape], data: new Float32Array(vData) });
    }
    return out;
  }

  load(state: NamedArray[]): void {
    const byName = new Map(state.map((s) => [s.name, s]));
    const steps = byName.get('adam.steps');
    if (!steps) throw new Error('optimizer state lacks adam.steps');
    this.steps = steps.data[0];
    for (const [kind, map] of [
      ['m', this.m],
      ['v', this.v],
    ] as const) {
      for (const [name, variable] of map) {
        const s = byName.get(`adam.${kind}/${name}`);
        if (!s || s.data.length !== variable.size) throw new Error(`optimizer state lacks adam.${kind}/${name}`);
        tf.tidy(() => variable.assign(tf.tensor(s.data, variable.shape)));
      }
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
