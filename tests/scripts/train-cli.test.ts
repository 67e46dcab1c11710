// The training CLI: flag validation (exit code 2 with a sentence), the JSON shape of a dry run
// and of a training run, without long training.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseTrainArgs, summaryJson, UsageError } from '../../scripts/train-cli';
import { tinyDataset } from '../engine/fixtures';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../../src/engine/defaults';
import type { Metrics } from '../../src/engine/types';

const run = promisify(execFile);

function usageError(argv: string[]): string {
  try {
    parseTrainArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('parseTrainArgs', () => {
  it('has the documented defaults', () => {
    const a = parseTrainArgs([]);
    expect(a).toMatchObject({
      help: false,
      data: 'default',
      format: 'auto',
      backbone: 'sasrec',
      backend: 'wasm',
      epochs: 3,
      seed: 42,
      dryRun: false,
      maskPadding: true,
    });
    expect(a.methods).toEqual(['base', 'duet', 'duet-swa']);
    expect(a.reported).toEqual(['base', 'duet', 'duet-swa']);
    expect(a.finetune).toBe(true);
    expect(a.duet).toEqual({
      freezeProjections: false,
      generatorInput: 'click',
      projectionScale: 0.5,
      swa: { generators: 4, temperature: 1 },
    });
  });

  it('takes a comma list of methods, in training order, with Base trained for the fine-tune baseline', () => {
    expect(parseTrainArgs(['--method', 'duet-swa,base']).methods).toEqual(['base', 'duet-swa']);
    const f = parseTrainArgs(['--method', 'duet,finetune']);
    expect(f.methods).toEqual(['base', 'duet']);
    expect(f.reported).toEqual(['duet']);
    expect(f.finetune).toBe(true);
    expect(parseTrainArgs(['--method', 'base']).finetune).toBe(false);
  });

  it('refuses non-integers where integers are meant, and unknown names', () => {
    expect(usageError(['--batch-size', '0.5'])).toMatch(/--batch-size must be a whole number/);
    expect(usageError(['--epochs', '1.5'])).toMatch(/--epochs must be a whole number/);
    expect(usageError(['--epochs', '0'])).toMatch(/>= 1/);
    expect(usageError(['--seed', 'abc'])).toMatch(/--seed must be a whole number/);
    expect(usageError(['--dim', '1e3'])).toMatch(/--dim/);
    expect(usageError(['--lr=-1'])).toMatch(/--lr must be a positive number/);
    expect(usageError(['--backbone', 'bert4rec'])).toMatch(/--backbone must be one of sasrec, gru4rec, din/);
    expect(usageError(['--method', 'base,bogus'])).toMatch(/--method must be one of/);
    expect(usageError(['--backend', 'webgpu'])).toMatch(/--backend must be one of wasm, cpu/);
    expect(usageError(['--epoch', '2'])).toMatch(/Unknown option '--epoch'/);
  });
});

const metrics: Metrics = { auc: 0.7, uauc: 0.6, logloss: 0.5, ndcg5: 0.1, ndcg10: 0.2, ndcg20: 0.3, hr5: 0.4, hr10: 0.5, hr20: Number.NaN };

describe('summaryJson', () => {
  const dataset = tinyDataset({ users: 4 });

  it('a dry run writes only the dataset, counting positives where the stats lack them', () => {
    expect(summaryJson(dataset)).toEqual({
      dataset: {
        users: 4,
        items: dataset.stats.items,
        interactions: dataset.stats.interactions,
        train_positives: dataset.train.count / 3,
        valid_positives: 4,
        test_positives: dataset.test.count / 3,
        dropped_users: null,
        dropped_items: null,
      },
    });
    const withStats = {
      ...dataset,
      stats: { ...dataset.stats, trainPositives: 7, validPositives: 1, testPositives: 2, droppedUsers: 3, droppedItems: 0 },
    };
    expect(summaryJson(withStats).dataset).toMatchObject({
      train_positives: 7,
      valid_positives: 1,
      test_positives: 2,
      dropped_users: 3,
      dropped_items: 0,
    });
  });

  it('a training run adds history and the selected epoch per reported method', () => {
    const history = [
      { epoch: 1, loss: 0.6, validUauc: 0.7, testUauc: 0.65 },
      { epoch: 2, loss: 0.5, validUauc: Number.NaN, testUauc: 0.66 },
    ];
    const json = summaryJson(dataset, {
      backbone: 'sasrec',
      backend: 'cpu',
      reported: ['duet'],
      finetune: metrics,
      trainSeconds: 1,
      weightChange: { duet: 0.1 },
      runs: [
        { method: 'base', metrics, history, selectedEpoch: 2, samplesPerSecond: 1 },
        { method: 'duet', metrics, history, selectedEpoch: 1, samplesPerSecond: 1 },
      ],
      config: { model: defaultModelConfig('sasrec', 12), train: defaultTrainConfig(), duet: defaultDuetConfig() },
    });
    expect(Object.keys(json.methods as object)).toEqual(['duet', 'finetune']);
    expect(json.history).toEqual({
      duet: [
        { epoch: 1, loss: 0.6, valid_uauc: 0.7, test_uauc: 0.65 },
        { epoch: 2, loss: 0.5, valid_uauc: null, test_uauc: 0.66 },
      ],
    });
    expect(json.selected_epoch).toEqual({ duet: 1 });
    expect((json.methods as Record<string, Record<string, unknown>>).duet.hr20).toBeNull();
    expect(json.dataset).toEqual(summaryJson(dataset).dataset);
  });
});

describe('npm run train (process)', () => {
  const node = ['--import', 'tsx', '--import', './src/engine/node/register-tfjs.mjs', 'scripts/train.ts'];

  it('exits 2 with a sentence on a bad flag', async () => {
    const failed = await run(process.execPath, [...node, '--batch-size', '0.5']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/train: --batch-size must be a whole number \(got "0.5"\)/);
  });

  it('refuses a dataset with no training samples with a sentence and exit code 1', async () => {
    // DUET text where each user's only train positive becomes their validation row.
    const dir = await mkdtemp(join(tmpdir(), 'duet-cli-'));
    await writeFile(join(dir, 'train.txt'), '1;5;0,0;3,4;1\n1;6;0,0;3,4;0\n2;7;0,0;3,5;1\n2;8;0,0;3,5;0\n');
    await writeFile(join(dir, 'test.txt'), '1;5;3,4;3,4;1\n1;6;3,4;3,4;0\n2;7;3,5;3,5;1\n2;8;3,5;3,5;0\n');
    const data = `${join(dir, 'train.txt')},${join(dir, 'test.txt')}`;
    const failed = await run(process.execPath, [...node, '--data', data, '--format', 'duet', '--backend', 'cpu']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    // The importer refuses it first, saying why no training row is left.
    expect(failed?.stderr).toMatch(
      /train: train\.txt has no training sample left once each user's latest positive is held out for validation/,
    );
  });

  it('--dry-run prepares the data, trains nothing and writes the dataset block', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'duet-cli-')), 'out.json');
    const { stderr } = await run(process.execPath, [
      ...node,
      '--data',
      'tests/fixtures/ml-tiny.zip',
      '--dry-run',
      '--json',
      out,
      '--backend',
      'cpu',
    ]);
    expect(stderr).toMatch(/dry run: nothing trained/);
    const json = JSON.parse(await readFile(out, 'utf8')) as { dataset: Record<string, unknown> };
    expect(Object.keys(json)).toEqual(['dataset']);
    expect(Object.keys(json.dataset)).toEqual([
      'users',
      'items',
      'interactions',
      'train_positives',
      'valid_positives',
      'test_positives',
      'dropped_users',
      'dropped_items',
    ]);
    expect(json.dataset.train_positives).toBeGreaterThan(0);
  });
});
