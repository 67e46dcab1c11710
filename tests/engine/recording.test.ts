// recordingGradients (kernels/recording.ts) reads tfjs's engine state: true exactly where
// autodiff records, and the ops that skip their tf.customGrad outside it give the same values
// as inside a gradient scope.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/backend';
import { recordingGradients } from '../../src/engine/kernels/recording';
import { createModel, disposeModel, forwardLogits, userVectors } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig } from '../../src/engine/defaults';
import { disposeBatch, toBatch } from '../../src/engine/batch';
import type { Backbone } from '../../src/engine/types';
import { createRng } from '../../src/random';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('recordingGradients', () => {
  it('is false outside gradients and inside a customGrad forward, true inside tf.grads', () => {
    expect(recordingGradients()).toBe(false);
    let inside: boolean | undefined;
    let inKernel: boolean | undefined;
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor;
      inKernel = recordingGradients();
      (args[1] as tf.GradSaveFunc)([x]);
      return { value: tf.mul(x, 2), gradFunc: (dy: tf.Tensor) => tf.mul(dy, 2) };
    });
    const g = tf.grad((x: tf.Tensor) => {
      inside = recordingGradients();
      return tf.sum(op(x) as tf.Tensor);
    })(tf.ones([3]));
    expect(inside).toBe(true);
    expect(inKernel).toBe(false);
    expect(Array.from(g.dataSync())).toEqual([2, 2, 2]);
    expect(recordingGradients()).toBe(false);
  });
});

describe.each(['sasrec', 'gru4rec', 'din'] as Backbone[])('DUET-%s forward outside and inside a gradient scope', (backbone) => {
  it('gives the same logits (and user vectors) and leaves no tensors behind', () => {
    const L = 8;
    const model = createModel(defaultModelConfig(backbone, 40, { dim: 16, seqLen: L, heads: 2 }), 'duet', defaultDuetConfig(), 4);
    const rng = createRng(2);
    const B = 5;
    const click = Int32Array.from({ length: B * L }, (_, i) => (i % L < 1 + (Math.floor(i / L) % L) ? 1 + Math.floor(rng() * 40) : 0));
    const batch = toBatch({
      size: B,
      seqLen: L,
      click,
      generator: click,
      target: Int32Array.from({ length: B }, (_, i) => 1 + i),
      label: new Float32Array(B),
    });
    const before = tf.memory().numTensors;
    const plain = tf.tidy(() => forwardLogits(model, batch).dataSync().slice());
    expect(tf.memory().numTensors).toBe(before);
    let recorded: Float32Array | undefined;
    const vars = model.params.names().map((n) => model.params.get(n));
    tf.tidy(() =>
      tf.variableGrads(() => {
        const logits = forwardLogits(model, batch);
        recorded = logits.dataSync().slice() as Float32Array;
        return tf.sum(logits) as tf.Scalar;
      }, vars),
    );
    expect(Array.from(plain)).toEqual(Array.from(recorded!));
    if (backbone !== 'din') {
      const u = tf.tidy(() => userVectors(model, batch).dataSync().slice());
      expect(u.length).toBe(B * 16);
    }
    disposeBatch(batch);
    disposeModel(model);
  });
});
