// What a training run is doing between its progress reports: the steps of an epoch, scoring
// the epoch, or the final evaluation (the bar is full then, but the run is not done).
import type { RunProgress } from '../../../workers/api';

export type TrainingStage = 'training' | 'scoring' | 'saving' | 'evaluating';

export function trainingStage(p: RunProgress): TrainingStage {
  if (p.step < p.stepsPerEpoch) return 'training';
  // The epoch's last step is reported before its validation and test scores...
  if (p.validUauc === undefined) return 'scoring';
  // ...then the scores; after the last epoch the selected weights are evaluated on the test split.
  return p.epoch >= p.epochs ? 'evaluating' : 'saving';
}

export function stageText(p: RunProgress): string {
  switch (trainingStage(p)) {
    case 'training':
      return `epoch ${p.epoch} of ${p.epochs}`;
    case 'scoring':
      return `scoring epoch ${p.epoch} on the validation and test splits…`;
    case 'saving':
      return `saving epoch ${p.epoch}…`;
    case 'evaluating':
      return 'evaluating on the test split…';
  }
}

/** The bar's fraction: never shown as done while the run still works (null: busy, amount unknown). */
export function shownFraction(p: RunProgress): number | null {
  return p.overallFraction >= 1 ? null : Math.min(p.overallFraction, 0.99);
}
