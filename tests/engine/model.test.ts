// Forward pass and gradients of every backbone x method against the independent float64
// reference (reference.ts): logits must match, and tfjs gradients must match central finite
// differences of the reference loss.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { SampleSet } from '../../src/data/types';
import type { Backbone, DuetConfig, ModelConfig } from '../../src/engine/types';
import { createModel, disposeModel, forwardLogits, trainableVariables, type ModelMethod } from '../../src/engine/model';
import { defaultDuetConfig } from '../../src/engine/defaults';
import { disposeBatch, gatherRows, toBatch } from '../../src/engine/batch';
import { sigmoidCrossEntropy } from '../../src/engine/layers';
import { referenceLogit, referenceLoss, toRefParams, type RefSample } from './reference';
import { createRng, randomInt } from '../../src/random';

const L = 5;
/** float32 tfjs gradients vs float64 finite differences; tight enough that a 1% error in any gradient fails. */
const TOLERANCE = { abs: 1e-6, rel: 1e-3 };
const CLICKS = [
  [3, 5, 7, 0, 0],
  [1, 2, 3, 4, 5],
  [0, 0, 0, 0, 0],
  [9, 0, 0, 0, 0],
  [12, 11, 4, 0, 0],
  [6, 6, 2, 8, 0],
];
const TRIGGERS = [
  [7, 0, 0, 0, 0],
  [4, 5, 0, 0, 0],
  [0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0],
  [11, 4, 0, 0, 0],
  [8, 0, 0, 0, 0],
];
const TARGETS = [2, 6, 10, 9, 12, 1];
const LABELS = [1, 0, 1, 0, 0, 1];

const samples: SampleSet = {
  count: CLICKS.length,
  seqLen: L,
  user: new Int32Array(CLICKS.length),
  target: Int32Array.from(TARGETS),
  clickSeq: Int32Array.from(CLICKS.flat()),
  triggerSeq: Int32Array.from(TRIGGERS.flat()),
  label: Float32Array.from(LABELS),
};

function refSamples(useTrigger: boolean): RefSample[] {
  return CLICKS.map((click, i) => ({
    click,
    generator: useTrigger && TRIGGERS[i][0] !== 0 ? TRIGGERS[i] : click,
    target: TARGETS[i],
    label: LABELS[i],
  }));
}

function config(backbone: Backbone, extra: Partial<ModelConfig> = {}): ModelConfig {
  return { backbone, numItems: 12, dim: 4, seqLen: L, heads: 2, layers: 1, maskPadding: true, ...extra };
}

interface Case {
  label: string;
  config: ModelConfig;
  method: ModelMethod;
  duet: DuetConfig;
}

const cases: Case[] = [];
for (const backbone of ['sasrec', 'gru4rec', 'din'] as const) {
  for (const method of ['base', 'duet', 'duet-swa'] as const) {
    cases.push({
      label: `${backbone} ${method}`,
      config: config(backbone),
      method,
      duet: defaultDuetConfig({ swa: { generators: 3, temperature: 0.5 } }),
    });
  }
}
cases.push(
  {
    label: 'sasrec duet, 2 layers, no padding mask, trigger input',
    config: config('sasrec', { layers: 2, maskPadding: false }),
    method: 'duet',
    duet: defaultDuetConfig({ generatorInput: 'trigger' }),
  },
  {
    label: 'gru4rec duet-swa, trigger input',
    config: config('gru4rec'),
    method: 'duet-swa',
    duet: defaultDuetConfig({ generatorInput: 'trigger' }),
  },
);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(cases)('$label', ({ config: c, method, duet }) => {
  const useTrigger = duet.generatorInput === 'trigger';

  it('forward pass matches the float64 reference', async () => {
    const model = createModel(c, method, duet, 7);
    const batch = toBatch(
      gatherRows(
        samples,
        CLICKS.map((_, i) => i),
        useTrigger,
      ),
    );
    const logits = tf.tidy(() => forwardLogits(model, batch)).arraySync() as number[];
    const params = toRefParams(await model.params.read());
    const expected = refSamples(useTrigger).map((s) => referenceLogit(params, c, method, duet, s));
    disposeBatch(batch);
    disposeModel(model);
    logits.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[i]))));
    // The logits must not be trivially equal across samples.
    expect(new Set(expected.map((v) => v.toFixed(6))).size).toBeGreaterThan(3);
  });

  it('gradients match finite differences of the reference loss', async () => {
    const model = createModel(c, method, duet, 11);
    const batch = toBatch(
      gatherRows(
        samples,
        CLICKS.map((_, i) => i),
        useTrigger,
      ),
    );
    const vars = trainableVariables(model);
    const grads = tf.tidy(() => tf.variableGrads(() => sigmoidCrossEntropy(batch.label, forwardLogits(model, batch)), vars).grads);
    const params = toRefParams(await model.params.read());
    const ref = refSamples(useTrigger);
    const rng = createRng(3);
    const usedItems = [...new Set([...CLICKS.flat(), ...TRIGGERS.flat(), ...TARGETS])];
    let checked = 0;
    let worst = 0;
    for (const v of vars) {
      const name = model.params.logicalName(v.name);
      const g = grads[v.name].dataSync();
      const p = params.get(name)!;
      for (let trial = 0; trial < 3; trial++) {
        const index =
          name === 'item.E' ? usedItems[randomInt(rng, usedItems.length)] * c.dim + randomInt(rng, c.dim) : randomInt(rng, p.data.length);
        const original = p.data[index];
        const h = 1e-6;
        p.data[index] = original + h;
        const plus = referenceLoss(params, c, method, duet, ref);
        p.data[index] = original - h;
        const minus = referenceLoss(params, c, method, duet, ref);
        p.data[index] = original;
        const numeric = (plus - minus) / (2 * h);
        const error = Math.abs(g[index] - numeric);
        worst = Math.max(worst, error / (1e-6 + 1e-3 * Math.abs(numeric)));
        expect(error, `${name}[${index}]: tfjs ${g[index]} vs numeric ${numeric}`).toBeLessThan(
          TOLERANCE.abs + TOLERANCE.rel * Math.abs(numeric),
        );
        checked++;
      }
    }
    tf.dispose(grads);
    disposeBatch(batch);
    disposeModel(model);
    expect(checked).toBeGreaterThan(20);
    if (process.env.GRAD_REPORT) console.log('worst error / (1e-6 + 1e-3 |numeric|):', worst.toFixed(3));
  });
});

it('freezing the projections leaves them out of the trainable variables', () => {
  const frozen = createModel(config('sasrec'), 'duet-swa', defaultDuetConfig({ freezeProjections: true }), 1);
  const names = trainableVariables(frozen).map((v) => frozen.params.logicalName(v.name));
  expect(names.some((n) => /^gen\d\.layer/.test(n))).toBe(false);
  expect(names).toContain('gen.z.W1');
  expect(frozen.params.names().filter((n) => /^gen\d\.layer/.test(n))).toHaveLength(4 * 2 * 4);
  disposeModel(frozen);
});

it('the same seed gives the same initial weights, another seed different ones', async () => {
  const read = async (seed: number) => {
    const m = createModel(config('gru4rec'), 'duet', defaultDuetConfig(), seed);
    const w = await m.params.read();
    disposeModel(m);
    return w;
  };
  const [a, b, c] = [await read(5), await read(5), await read(6)];
  expect(a.map((w) => Array.from(w.data))).toEqual(b.map((w) => Array.from(w.data)));
  expect(Array.from(a[0].data)).not.toEqual(Array.from(c[0].data));
  // Projections are folded into (-2, 2); biases start at zero.
  const projection = a.find((w) => w.name === 'gen0.layer1.A')!;
  expect(Math.max(...projection.data.map(Math.abs))).toBeLessThan(2);
  expect(Array.from(a.find((w) => w.name === 'seq.b')!.data)).toEqual([0, 0, 0, 0]);
});

it('projectionScale multiplies the initial projections and nothing else', async () => {
  const read = async (projectionScale: number) => {
    const m = createModel(config('sasrec'), 'duet-swa', defaultDuetConfig({ projectionScale }), 5);
    const w = await m.params.read();
    disposeModel(m);
    return new Map(w.map((x) => [x.name, Array.from(x.data)]));
  };
  const [one, half] = [await read(1), await read(0.5)];
  for (const [name, values] of one) {
    const expected = /^gen\d\.layer/.test(name) ? values.map((v) => Math.fround(v * 0.5)) : values;
    expect(half.get(name), name).toEqual(expected);
  }
});
