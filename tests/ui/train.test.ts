import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../workers/api';
import { duration } from '../../src/ui/common/format';
import { shownFraction, stageText, trainingStage } from '../../src/ui/train/stage';
import { proposeUserSample, samplePlan } from '../../src/ui/train/user-sample';

describe('the proposed user sample', () => {
  it('proposes nothing when the whole dataset trains in a tab', () => {
    expect(proposeUserSample(1_000, 30)).toBeUndefined();
    expect(proposeUserSample(6_040, 14 * 60)).toBeUndefined();
    expect(proposeUserSample(20_000, 60)).toBeUndefined();
  });

  it('caps a fast but large dataset at 20,000 users and says why', () => {
    expect(proposeUserSample(69_878, 600)).toEqual({
      users: 20_000,
      reason: '69,878 users are more than a tab trains comfortably (up to 20,000)',
    });
  });

  it('sizes the sample so an epoch takes about 15 minutes, rounded down, never below 1,000 users', () => {
    // 3 h for 69,878 users -> 15 min for 69,878 / 12 = 5,823 -> 5,800.
    expect(proposeUserSample(69_878, 3 * 3600)).toEqual({
      users: 5_800,
      reason: 'an epoch over all 69,878 users would take about 3.0 h in this tab',
    });
    expect(proposeUserSample(69_878, 1000 * 3600)?.users).toBe(1_000);
    // Slow, but already small: nothing to propose below the floor.
    expect(proposeUserSample(900, 3600)).toBeUndefined();
    expect(proposeUserSample(6_040, 30 * 60)?.users).toBe(3_000);
  });

  it('states the plan with numbers', () => {
    expect(samplePlan(200, 1_000)).toBe('Training on a seeded sample of 200 of 1,000 users; the catalog is unchanged.');
  });
});

describe('training progress', () => {
  const at = (over: Partial<RunProgress>): RunProgress => ({
    phase: 'base',
    epoch: 1,
    epochs: 2,
    step: 5,
    stepsPerEpoch: 10,
    loss: 0.5,
    samplesPerSecond: 100,
    etaSeconds: 3,
    overallFraction: 0.25,
    methodIndex: 0,
    methodCount: 1,
    ...over,
  });

  it('names the stage between progress reports', () => {
    expect(trainingStage(at({}))).toBe('training');
    expect(stageText(at({}))).toBe('epoch 1 of 2');
    expect(trainingStage(at({ step: 10 }))).toBe('scoring');
    expect(trainingStage(at({ step: 10, validUauc: 0.7 }))).toBe('saving');
    expect(trainingStage(at({ epoch: 2, step: 10, validUauc: 0.7 }))).toBe('evaluating');
    expect(stageText(at({ epoch: 2, step: 10, validUauc: 0.7 }))).toBe('evaluating on the test split…');
  });

  it('never shows a full bar while the run still works', () => {
    expect(shownFraction(at({ overallFraction: 1 }))).toBeNull();
    expect(shownFraction(at({ overallFraction: 0.998 }))).toBe(0.99);
    expect(shownFraction(at({ overallFraction: 0.4 }))).toBe(0.4);
  });

  it('formats durations at an estimate’s precision', () => {
    expect(duration(20)).toBe('20 s');
    expect(duration(12 * 60)).toBe('12 min');
    expect(duration(3.24 * 3600)).toBe('3.2 h');
  });
});
