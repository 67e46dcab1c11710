// Default settings (docs/method.md#the-backbones: D = 32, L = 30, 4 heads, one layer; Adam lr 1e-3; batch 256 here).
import type { Backbone, DuetConfig, ModelConfig, TrainConfig } from './types';

export function defaultModelConfig(backbone: Backbone, numItems: number, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return { backbone, numItems, dim: 32, seqLen: 30, heads: 4, layers: 1, maskPadding: true, ...overrides };
}

/** The projections' initial scale (DuetConfig.projectionScale); the reference's is 1. */
export const defaultProjectionScale = 0.5;

export function defaultDuetConfig(overrides: Partial<Omit<DuetConfig, 'swa'>> & { swa?: Partial<DuetConfig['swa']> } = {}): DuetConfig {
  return {
    swa: { generators: 4, temperature: 1, ...overrides.swa },
    freezeProjections: overrides.freezeProjections ?? false,
    generatorInput: overrides.generatorInput ?? 'click',
    projectionScale: overrides.projectionScale ?? defaultProjectionScale,
  };
}

export function defaultTrainConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return { epochs: 10, batchSize: 256, learningRate: 1e-3, seed: 42, finetuneEpochs: 1, ...overrides };
}
