// One optimisation step: sigmoid cross-entropy (docs/method.md#the-backbones), gradients of the trainable variables,
// one Adam update; everything inside one tidy. Returns the batch loss as a tensor so the caller
// decides when to read it (reading synchronises with the device).
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from './adam';
import { sigmoidCrossEntropy } from './layers';
import { forwardLogits, trainableVariables, type RecModel } from './model';
import type { Batch } from './batch';

export function createOptimizer(model: RecModel, learningRate: number): Adam {
  const vars = new Map(trainableVariables(model).map((v) => [model.params.logicalName(v.name), v]));
  return new Adam(learningRate, vars);
}

export function trainStep(model: RecModel, optimizer: Adam, batch: Batch): tf.Scalar {
  // Cached catalog towers go stale with the first update.
  model.catalog?.dispose();
  model.catalog = undefined;
  const vars = trainableVariables(model);
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => sigmoidCrossEntropy(batch.label, forwardLogits(model, batch)), vars);
    const byName = new Map<string, tf.Tensor>();
    for (const [variableName, g] of Object.entries(grads)) byName.set(model.params.logicalName(variableName), g);
    optimizer.apply(byName);
    return value;
  });
}
