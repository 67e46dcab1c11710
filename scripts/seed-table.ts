// Mean ± sd over seeds from the CLI's JSON summaries (npm run train -- ... --json F), as a
// markdown table: one row per method, the selected epochs and the training time beside.
//   npx tsx scripts/seed-table.ts run-seed1.json run-seed2.json run-seed3.json
import { readFile } from 'node:fs/promises';

interface RunSummary {
  backbone: string;
  methods: Record<string, Record<string, number | null>>;
  selected_epoch: Record<string, number | null>;
  train_seconds: number;
}

const columns: [key: string, label: string][] = [
  ['auc', 'AUC'],
  ['uauc', 'UAUC'],
  ['logloss', 'logloss'],
  ['ndcg10', 'NDCG@10*'],
  ['hr5', 'HR@5*'],
  ['full_hr10', 'full HR@10'],
  ['full_ndcg10', 'full NDCG@10'],
];

export function meanSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance) };
}

export function seedTable(runs: RunSummary[]): string {
  const methods = Object.keys(runs[0]?.methods ?? {});
  const lines = [
    `| method | ${columns.map(([, label]) => label).join(' | ')} | epoch kept |`,
    `|---|${columns.map(() => '---:').join('|')}|---|`,
  ];
  for (const method of methods) {
    const cells = columns.map(([key]) => {
      const values = runs.map((r) => r.methods[method]?.[key]).filter((v): v is number => typeof v === 'number');
      if (values.length < runs.length) return '–';
      const { mean, sd } = meanSd(values);
      return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
    });
    const epochs = runs.map((r) => r.selected_epoch[method] ?? '–').join(', ');
    lines.push(`| ${method} | ${cells.join(' | ')} | ${epochs} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: npx tsx scripts/seed-table.ts run1.json run2.json ...');
    process.exit(2);
  }
  const runs = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as RunSummary));
  const minutes = runs.map((r) => (r.train_seconds / 60).toFixed(1)).join(', ');
  console.log(`${runs[0]?.backbone}: ${runs.length} seeds, mean ± sd (sample sd); training minutes per run: ${minutes}\n`);
  console.log(seedTable(runs));
}
