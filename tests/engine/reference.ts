// An independent float64 plain-JS forward pass of every backbone x method, written directly from
// docs/method.md (full attention over all rows, explicit generated weight matrices), to check the tfjs
// models against and to take finite differences of.
import type { ModelConfig, DuetConfig } from '../../src/engine/types';
import type { ModelMethod } from '../../src/engine/model';
import type { NamedArray } from '../../src/engine/params';

export type RefParams = Map<string, { shape: number[]; data: Float64Array }>;

export function toRefParams(weights: NamedArray[]): RefParams {
  return new Map(weights.map((w) => [w.name, { shape: w.shape, data: Float64Array.from(w.data) }]));
}

export interface RefSample {
  click: number[];
  generator: number[];
  target: number;
  label: number;
}

const tanh = (v: number[]) => v.map(Math.tanh);
const relu = (v: number[]) => v.map((x) => Math.max(0, x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const add = (a: number[], b: number[]) => a.map((x, i) => x + b[i]);
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

function softmax(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** x [in] times a row-major [in, out] matrix plus bias. */
function affine(x: number[], w: ArrayLike<number>, out: number, b?: ArrayLike<number>): number[] {
  const y = new Array<number>(out).fill(0);
  for (let j = 0; j < x.length; j++) for (let k = 0; k < out; k++) y[k] += x[j] * w[j * out + k];
  if (b) for (let k = 0; k < out; k++) y[k] += b[k];
  return y;
}

function layerNorm(x: number[], g: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const mean = x.reduce((a, c) => a + c, 0) / x.length;
  const variance = x.reduce((a, c) => a + (c - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * g[i] + b[i]);
}

function readIndex(seq: number[]): number {
  return Math.max(seq.filter((v) => v !== 0).length - 1, 0);
}

/** A GRU over xs (PyTorch gate order r, z, n), returning the state after step upTo. */
function gruOf(get: (name: string) => Float64Array, D: number) {
  return (xs: number[][], prefix: string, upTo: number) => {
    let h = new Array<number>(D).fill(0);
    for (let t = 0; t <= upTo; t++) {
      const gi = affine(xs[t], get(`${prefix}.Wi`), 3 * D, get(`${prefix}.bi`));
      const gh = affine(h, get(`${prefix}.Wh`), 3 * D, get(`${prefix}.bh`));
      const r = gi.slice(0, D).map((v, i) => sigmoid(v + gh[i]));
      const z = gi.slice(D, 2 * D).map((v, i) => sigmoid(v + gh[D + i]));
      const n = gi.slice(2 * D).map((v, i) => Math.tanh(v + r[i] * gh[2 * D + i]));
      h = n.map((nv, i) => (1 - z[i]) * nv + z[i] * h[i]);
    }
    return h;
  };
}

/** `cache` may be shared across samples of one parameter setting: it holds the (SWA-mixed) projections. */
export function referenceLogit(
  p: RefParams,
  c: ModelConfig,
  method: ModelMethod,
  duet: DuetConfig,
  s: RefSample,
  cache = new Map<string, number[]>(),
): number {
  const D = c.dim;
  const get = (name: string) => {
    const v = p.get(name);
    if (!v) throw new Error(`reference: no ${name}`);
    return v.data;
  };
  const dense = (x: number[], prefix: string, out: number, wName = 'W', bName = 'b') =>
    affine(x, get(`${prefix}.${wName}`), out, get(`${prefix}.${bName}`));
  const row = (name: string, i: number) => Array.from(get(name).subarray(i * D, i * D + D));
  const history = (seq: number[]) =>
    seq.map((item, j) => tanh(affine(add(row('item.E', item), row('seq.P', j)), get('seq.W'), D, get('seq.b'))));
  const gru = gruOf(get, D);

  const h = history(s.click);
  const e = row('item.E', s.target);
  const t = affine(tanh(affine(e, get('target.W1'), D, get('target.b1'))), get('target.W2'), D, get('target.b2'));
  const isDuet = method !== 'base';

  const layers = isDuet ? referenceGeneratedLayers(p, c, method, duet, s.generator, cache) : [];

  if (c.backbone === 'din') {
    const L = s.click.length;
    const logits: number[] = [];
    const kept: number[] = [];
    for (let j = 0; j < L; j++) {
      if (j !== 0 && s.click[j] === 0) continue;
      const feature = [...h[j], ...t, ...h[j].map((v, i) => v - t[i]), ...h[j].map((v, i) => v * t[i])];
      const a2 = relu(dense(relu(dense(feature, 'din.att1', 80)), 'din.att2', 40));
      logits.push(dense(a2, 'din.att3', 1)[0]);
      kept.push(j);
    }
    const w = softmax(logits);
    const pooled = new Array<number>(D).fill(0);
    kept.forEach((j, k) => h[j].forEach((v, i) => (pooled[i] += w[k] * v)));
    const x1 = relu(dense([...pooled, ...t], 'din.mlp1', 128));
    if (!isDuet) return dense(relu(dense(x1, 'din.mlp2', 64)), 'din.mlp3', 1)[0];
    const x2 = relu(affine(x1, layers[0].W, 64, layers[0].b));
    return affine(x2, layers[1].W, 1, layers[1].b)[0];
  }

  let state: number[];
  if (c.backbone === 'gru4rec') {
    state = gru(h, 'gru', readIndex(s.click));
  } else {
    let x = h;
    const heads = c.heads;
    const dh = D / heads;
    for (let l = 0; l < c.layers; l++) {
      const pre = `enc${l}`;
      const q = x.map((xi) => dense(xi, pre, D, 'Wq', 'bq'));
      const k = x.map((xi) => dense(xi, pre, D, 'Wk', 'bk'));
      const v = x.map((xi) => dense(xi, pre, D, 'Wv', 'bv'));
      const keys = x.map((_, j) => j).filter((j) => !c.maskPadding || j === 0 || s.click[j] !== 0);
      x = x.map((xi, i) => {
        const attended = new Array<number>(D).fill(0);
        for (let hd = 0; hd < heads; hd++) {
          const sl = (vec: number[]) => vec.slice(hd * dh, hd * dh + dh);
          const w = softmax(keys.map((j) => dot(sl(q[i]), sl(k[j])) / Math.sqrt(dh)));
          keys.forEach((j, kk) => sl(v[j]).forEach((val, d) => (attended[hd * dh + d] += w[kk] * val)));
        }
        const y = layerNorm(add(xi, dense(attended, pre, D, 'Wo', 'bo')), get(`${pre}.ln1.g`), get(`${pre}.ln1.b`));
        const ff = dense(relu(dense(y, `${pre}.ff1`, 4 * D)), `${pre}.ff2`, D);
        return layerNorm(add(y, ff), get(`${pre}.ln2.g`), get(`${pre}.ln2.b`));
      });
    }
    state = x[readIndex(s.click)];
  }
  const u = isDuet
    ? affine(tanh(affine(state, layers[0].W, D, layers[0].b)), layers[1].W, D, layers[1].b)
    : affine(tanh(affine(state, get('head.W1'), D, get('head.b1'))), get('head.W2'), D, get('head.b2'));
  return dot(u, t);
}

/** Mean sigmoid cross-entropy over the samples. */
export function referenceLoss(p: RefParams, c: ModelConfig, method: ModelMethod, duet: DuetConfig, samples: RefSample[]): number {
  let sum = 0;
  const cache = new Map<string, number[]>();
  for (const s of samples) {
    const z = referenceLogit(p, c, method, duet, s, cache);
    sum += Math.max(z, 0) - z * s.label + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return sum / samples.length;
}

/** The generated layers for a generator sequence: W_i row-major [in, out] and b_i (docs/method.md#duet-the-generated-layers, step 3). */
export function referenceGeneratedLayers(
  p: RefParams,
  c: ModelConfig,
  method: ModelMethod,
  duet: DuetConfig,
  generator: number[],
  cache = new Map<string, number[]>(),
): { W: number[]; b: number[] }[] {
  const D = c.dim;
  const get = (name: string) => {
    const v = p.get(name);
    if (!v) throw new Error(`reference: no ${name}`);
    return v.data;
  };
  const row = (name: string, i: number) => Array.from(get(name).subarray(i * D, i * D + D));
  const history = (seq: number[]) =>
    seq.map((item, j) => tanh(affine(add(row('item.E', item), row('seq.P', j)), get('seq.W'), D, get('seq.b'))));
  const gru = gruOf(get, D);
  // Generated layers: W_i = reshape(z A_i + a_i, [in, out]), b_i = z B_i + c_i (SWA: mixed projections).
  const shapes: [number, number][] =
    c.backbone === 'din'
      ? [
          [128, 64],
          [64, 1],
        ]
      : [
          [D, D],
          [D, D],
        ];
  const hg = history(generator);
  const g = gru(hg, 'gen.gru', readIndex(generator));
  const z = affine(tanh(affine(g, get('gen.z.W1'), D, get('gen.z.b1'))), get('gen.z.W2'), D, get('gen.z.b2'));
  const m = method === 'duet-swa' ? duet.swa.generators : 1;
  let mix = cache.get('mix') ?? [1];
  if (method === 'duet-swa' && !cache.has('mix')) {
    const F = Array.from({ length: m }, (_, k) => get(`gen${k}.layer1.A`));
    const n = F[0].length;
    const dotF = (a: Float64Array, b: Float64Array) => {
      let sum = 0; // a plain loop: reduce over 32k-element projections dominated the DIN gradient checks
      for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
      return sum;
    };
    const scores = F.map((fk) => F.reduce((sum, fl) => sum + dotF(fk, fl), 0) / (n * duet.swa.temperature));
    mix = softmax(scores);
    cache.set('mix', mix);
  }
  const mixed = (layer: number, part: string) => {
    const key = `${layer}.${part}`;
    if (cache.has(key)) return cache.get(key)!;
    const size = get(`gen0.layer${layer}.${part}`).length;
    const out = new Array<number>(size).fill(0);
    for (let k = 0; k < m; k++) {
      const v = get(`gen${k}.layer${layer}.${part}`);
      for (let i = 0; i < size; i++) out[i] += mix[k] * v[i];
    }
    cache.set(key, out);
    return out;
  };
  return shapes.map(([inDim, outDim], i) => ({
    W: affine(z, mixed(i + 1, 'A'), inDim * outDim, mixed(i + 1, 'a')),
    b: affine(z, mixed(i + 1, 'B'), outDim, mixed(i + 1, 'c')),
  }));
}
