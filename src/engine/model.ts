// A recommendation model: configs + a parameter registry, and its forward pass
// (docs/method.md#the-backbones, #duet-the-generated-layers).
import * as tf from '@tensorflow/tfjs-core';
import type { DuetConfig, Method, ModelConfig } from './types';
import { createParams, type ParamSpec, type ParamStore } from './params';
import { dense, denseTanh } from './layers';
import { gruAtRead, gruSpecs, type GruWeights } from './gru';
import { sasrecSpecs, sasrecState } from './sasrec';
import { DIN_GENERATED, dinHidden, dinSpecs, dinStaticScore } from './din';
import {
  generatedDense,
  generatedLayer,
  generatorCode,
  generatorSpecs,
  projection,
  swaWeights,
  type LayerShape,
  type Projection,
} from './generator';
import type { Batch, SequenceBatch } from './batch';
import { clickRowApplies, generatedClickRow, historyRow } from './kernels/click-row';

export type ModelMethod = Exclude<Method, 'finetune'>;

export interface RecModel {
  method: ModelMethod;
  config: ModelConfig;
  duet: DuetConfig;
  params: ParamStore;
  /** Target tower of the whole catalog, transposed: [D, numItems + 1]; dropped when weights change. */
  catalog?: tf.Tensor2D;
}

type Get = (name: string) => tf.Tensor;

export function isDuet(method: ModelMethod): boolean {
  return method !== 'base';
}

export function generatorCount(method: ModelMethod, duet: DuetConfig): number {
  return method === 'duet-swa' ? Math.max(1, duet.swa.generators) : 1;
}

/** [in, out] of the dynamic layers: the Base classifier's two D x D layers, or DIN's last two. */
export function generatedShapes(config: ModelConfig): LayerShape[] {
  return config.backbone === 'din'
    ? DIN_GENERATED
    : [
        [config.dim, config.dim],
        [config.dim, config.dim],
      ];
}

export function modelSpecs(config: ModelConfig, method: ModelMethod, duet: DuetConfig): ParamSpec[] {
  const D = config.dim;
  if (config.backbone === 'sasrec' && D % config.heads !== 0) {
    throw new RangeError(`dim ${D} is not divisible by heads ${config.heads}`);
  }
  const specs: ParamSpec[] = [
    { name: 'item.E', shape: [config.numItems + 1, D], init: 'xavier' },
    { name: 'seq.P', shape: [config.seqLen, D], init: 'xavier' },
    { name: 'seq.W', shape: [D, D], init: 'xavier' },
    { name: 'seq.b', shape: [D], init: 'zeros' },
    { name: 'target.W1', shape: [D, D], init: 'xavier' },
    { name: 'target.b1', shape: [D], init: 'zeros' },
    { name: 'target.W2', shape: [D, D], init: 'xavier' },
    { name: 'target.b2', shape: [D], init: 'zeros' },
  ];
  if (config.backbone === 'sasrec') specs.push(...sasrecSpecs(D, config.layers));
  if (config.backbone === 'gru4rec') specs.push(...gruSpecs('gru', D));
  if (config.backbone === 'din') specs.push(...dinSpecs(D, isDuet(method)));
  if (isDuet(method)) {
    specs.push(...generatorSpecs(D, generatedShapes(config), generatorCount(method, duet), duet.projectionScale));
  } else if (config.backbone !== 'din') {
    specs.push(
      { name: 'head.W1', shape: [D, D], init: 'xavier' },
      { name: 'head.b1', shape: [D], init: 'zeros' },
      { name: 'head.W2', shape: [D, D], init: 'xavier' },
      { name: 'head.b2', shape: [D], init: 'zeros' },
    );
  }
  return specs;
}

export function createModel(config: ModelConfig, method: ModelMethod, duet: DuetConfig, seed: number): RecModel {
  return { method, config, duet, params: createParams(modelSpecs(config, method, duet), seed) };
}

export function disposeModel(model: RecModel): void {
  model.catalog?.dispose();
  model.catalog = undefined;
  model.params.dispose();
}

/** Variables the optimiser updates (projections excluded when frozen, docs/method.md#deviations-from-the-authors-code). */
export function trainableVariables(model: RecModel): tf.Variable[] {
  const frozen = isDuet(model.method) && model.duet.freezeProjections;
  return model.params
    .names()
    .filter((name) => !(frozen && model.params.specs.get(name)?.projection))
    .map((name) => model.params.get(name));
}

function getter(model: RecModel): Get {
  return (name) => model.params.get(name);
}

/** h_j = tanh(W_s (E[seq_j] + P[j]) + b_s): items [B, L] -> [B, L, D]. */
function history(get: Get, items: tf.Tensor): tf.Tensor {
  const [B, L] = items.shape;
  if (clickRowApplies(B)) return historyRow(get('item.E'), items, get('seq.P'), get('seq.W'), get('seq.b')); // a device click: one launch
  const e = tf.reshape(tf.gather(get('item.E'), tf.reshape(items, [-1])), [B, L, -1]);
  return denseTanh(tf.add(e, get('seq.P')), get('seq.W'), get('seq.b'));
}

/** t = Dense(tanh(Dense(E[target]))): items [N] -> [N, D]. */
export function targetTower(model: RecModel, items: tf.Tensor): tf.Tensor2D {
  const get = getter(model);
  const e = tf.gather(get('item.E'), items);
  return dense(denseTanh(e, get('target.W1'), get('target.b1')), get('target.W2'), get('target.b2')) as tf.Tensor2D;
}

function gruWeights(get: Get, prefix: string): GruWeights {
  return { Wi: get(`${prefix}.Wi`), bi: get(`${prefix}.bi`), Wh: get(`${prefix}.Wh`), bh: get(`${prefix}.bh`) };
}

/** The backbone's user state s [B, D] (SASRec, GRU4Rec). */
function userState(model: RecModel, get: Get, h: tf.Tensor, seq: SequenceBatch): tf.Tensor2D {
  const c = model.config;
  if (c.backbone === 'sasrec') return sasrecState(get, h, seq.read, seq.mask, c.layers, c.heads, c.maskPadding);
  return gruAtRead(h, seq.positions, gruWeights(get, 'gru'));
}

interface Generated {
  z: tf.Tensor2D;
  projections: Projection[];
}

/** The generator's GRU state g [B, D] and the (SWA-mixed) projections of each dynamic layer. */
function generatorState(model: RecModel, get: Get, h: tf.Tensor, batch: Batch): { g: tf.Tensor2D; projections: Projection[] } {
  const seq = batch.generator;
  const hGen = seq === batch.click ? h : history(get, seq.items);
  const g = gruAtRead(hGen, seq.positions, gruWeights(get, 'gen.gru'));
  const m = generatorCount(model.method, model.duet);
  const mix = model.method === 'duet-swa' ? swaWeights(get, m, model.duet.swa.temperature) : null;
  return { g, projections: generatedShapes(model.config).map((_, i) => projection(get, i + 1, mix, m)) };
}

/** The generator's code z [B, D] and the (SWA-mixed) projections of each dynamic layer. */
function generate(model: RecModel, get: Get, h: tf.Tensor, batch: Batch): Generated {
  const { g, projections } = generatorState(model, get, h, batch);
  return { z: generatorCode(get, g), projections };
}

/** The classifier's user vector u [B, D] (SASRec, GRU4Rec): logit = u . t. */
function userVector(model: RecModel, get: Get, h: tf.Tensor, batch: Batch, generated?: Generated): tf.Tensor2D {
  const s = userState(model, get, h, batch.click);
  if (!isDuet(model.method)) {
    return dense(denseTanh(s, get('head.W1'), get('head.b1')), get('head.W2'), get('head.b2')) as tf.Tensor2D;
  }
  const { z, projections } = generated ?? generate(model, get, h, batch);
  const [shape1, shape2] = generatedShapes(model.config);
  const hidden = tf.tanh(generatedDense(s, z, projections[0], shape1));
  return generatedDense(hidden, z, projections[1], shape2);
}

/** u [B, D] for a batch (SASRec, GRU4Rec only). */
export function userVectors(model: RecModel, batch: Batch): tf.Tensor2D {
  if (model.config.backbone === 'din') throw new Error('DIN has no user vector: its score depends on the target');
  const get = getter(model);
  return userVector(model, get, history(get, batch.click.items), batch);
}

/** Logits [B] for a batch. */
export function forwardLogits(model: RecModel, batch: Batch): tf.Tensor1D {
  const get = getter(model);
  const h = history(get, batch.click.items);
  const t = targetTower(model, batch.target);
  if (model.config.backbone !== 'din') return tf.sum(tf.mul(userVector(model, get, h, batch), t), 1) as tf.Tensor1D;
  const x1 = dinHidden(get, h, t, batch.click.mask);
  if (!isDuet(model.method)) return dinStaticScore(get, x1);
  const { z, projections } = generate(model, get, h, batch);
  const [shape1, shape2] = generatedShapes(model.config);
  const x2 = tf.relu(generatedDense(x1, z, projections[0], shape1));
  return tf.reshape(generatedDense(x2, z, projections[1], shape2), [-1]) as tf.Tensor1D;
}

/**
 * A DUET device click in one generator pass (SASRec, GRU4Rec): the user vector u [B, D] and
 * the generated layers that produced it, each [B, in*out + out]: W_i (row-major [in, out]) then b_i.
 */
export function userVectorsWithLayers(model: RecModel, batch: Batch): { u: tf.Tensor2D; layers: tf.Tensor2D[] } {
  if (!isDuet(model.method) || model.config.backbone === 'din') throw new Error('needs a SASRec or GRU4Rec DUET model');
  const get = getter(model);
  const h = history(get, batch.click.items);
  if (clickRowApplies(batch.size)) {
    // one sequence (a device click): z, both generated layers and u through them in one launch
    const { g, projections } = generatorState(model, get, h, batch);
    const code = { zw1: get('gen.z.W1'), zb1: get('gen.z.b1'), zw2: get('gen.z.W2'), zb2: get('gen.z.b2') };
    return generatedClickRow(g, userState(model, get, h, batch.click), code, [projections[0], projections[1]]);
  }
  const generated = generate(model, get, h, batch);
  return {
    u: userVector(model, get, h, batch, generated),
    layers: generated.projections.map((p) => generatedLayer(generated.z, p)),
  };
}

/** The generated layers for each row of a batch, each [B, in*out + out]: W_i (row-major [in, out]) then b_i. */
export function generatedLayers(model: RecModel, batch: Batch): tf.Tensor2D[] {
  if (!isDuet(model.method)) throw new Error('only DUET models generate parameters');
  const get = getter(model);
  const { z, projections } = generate(model, get, history(get, batch.click.items), batch);
  return projections.map((p) => generatedLayer(z, p));
}
