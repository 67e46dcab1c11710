// Shared by the *.bench.ts measurements: the Chromium processes' memory, the Train view's
// progress line as numbers, and the training form.
import { execFileSync } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { expect, type Page } from '@playwright/test';

/** A switch Chromium ignores; it marks this run's browser process among others on the machine. */
export const browserTag = `--duet-bench-run=${process.pid}`;

/**
 * RSS in MB of this run's browser process and all its descendants (renderers, GPU, utility),
 * and of the largest one. Chromium sets its processes' priorities itself (the browser -8,
 * renderers 0), so `nice -n 10 npx playwright ...` would not reach them: each process found is
 * given this process's nice value when it has a lower one.
 */
export function chromiumRss(): { totalMb: number; largestMb: number } | null {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8', maxBuffer: 16 << 20 })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), rssKb: Number(m[3]), args: m[4] }));
  const root = rows.find((r) => r.args.includes(browserTag) && !r.args.includes('--type='));
  if (!root) return null;
  const mine = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows)
      if (!mine.has(r.pid) && mine.has(r.ppid)) {
        mine.add(r.pid);
        grew = true;
      }
  }
  const nice = getPriority();
  for (const pid of mine) {
    try {
      if (getPriority(pid) < nice) setPriority(pid, nice);
    } catch {
      // gone meanwhile
    }
  }
  const kb = rows.filter((r) => mine.has(r.pid)).map((r) => r.rssKb);
  return { totalMb: Math.round(kb.reduce((a, b) => a + b, 0) / 1024), largestMb: Math.round(Math.max(...kb) / 1024) };
}

/** Samples chromiumRss() every second until stopped; keeps the peaks. */
export class MemoryPeak {
  totalMb = 0;
  largestMb = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  constructor() {
    this.timer = setInterval(() => this.sample(), 1000);
  }
  sample(): void {
    const now = chromiumRss();
    if (!now) return;
    this.totalMb = Math.max(this.totalMb, now.totalMb);
    this.largestMb = Math.max(this.largestMb, now.largestMb);
  }
  stop(): { peakTotalMb: number; peakLargestProcessMb: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakTotalMb: this.totalMb, peakLargestProcessMb: this.largestMb };
  }
}

/** The worker's JS heap where Chromium exposes performance.memory there (not the WASM heap). */
export async function workerHeapMb(page: Page): Promise<number[]> {
  const out: number[] = [];
  for (const worker of page.workers()) {
    const bytes = await worker
      .evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null)
      .catch(() => null);
    if (bytes !== null) out.push(Math.round(bytes / 2 ** 20));
  }
  return out;
}

/** One reading of the Train view's progress line. */
export interface ProgressReading {
  /** Seconds since the run was started. */
  t: number;
  phase: string;
  label: string;
  percent: number;
  samplesPerSecond: number | null;
  /** The page's "N min M s left"; null while it says "measuring speed". */
  etaSeconds: number | null;
}

/** Reads the progress line, or null while there is none (preparing, finished). */
export async function readProgress(page: Page, startedAt: number): Promise<ProgressReading | null> {
  const box = page.locator('#train .progress[data-phase]');
  const found = await box
    .evaluate((el) => ({ phase: el.getAttribute('data-phase') ?? '', text: el.querySelector('.row')?.textContent ?? '' }))
    .catch(() => null);
  if (!found || !found.phase) return null;
  const text = found.text.replace(/\s+/g, ' ');
  const percent = text.match(/(\d+)%\s*$/);
  if (!percent) return null;
  const rate = text.match(/([\d,]+) samples\/s/);
  const eta = text.match(/(?:(\d+) min )?(\d+) s left/);
  return {
    t: (Date.now() - startedAt) / 1000,
    phase: found.phase,
    label: text.split(' loss ')[0].trim(),
    percent: Number(percent[1]),
    samplesPerSecond: rate ? Number(rate[1].replace(/,/g, '')) : null,
    etaSeconds: eta ? Number(eta[1] ?? 0) * 60 + Number(eta[2]) : null,
  };
}

export const trainButton = (page: Page) => page.getByRole('button', { name: 'Train in this tab' });
export const trainFinished = (page: Page) => page.locator('#train [role="status"]').filter({ hasText: 'Training finished' });
export const trainFailure = (page: Page) => page.locator('#train [role="alert"]');

/** Sets the Train view's form: SASRec, the given methods, epochs and batch size. */
export async function chooseTraining(page: Page, options: { epochs: number; batchSize: number; methods: string[] }): Promise<void> {
  const form = page.getByRole('form', { name: 'Train a model' });
  await expect(page.locator('[data-backend]')).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  await form.getByLabel('Backbone').selectOption('sasrec');
  for (const m of ['Base', 'DUET', 'DUET + SWA']) {
    const box = form.getByRole('checkbox', { name: m, exact: true });
    if (options.methods.includes(m)) await box.check();
    else await box.uncheck();
  }
  await form.getByLabel('Epochs').fill(String(options.epochs));
  await form.getByLabel('Epochs').press('Tab');
  await form.getByLabel('Batch size').fill(String(options.batchSize));
  await form.getByLabel('Batch size').press('Tab');
}
