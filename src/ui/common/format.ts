// Small text formats shared by the steps' progress lines.

/** "1 min 5 s left", "40 s left", or '' while the estimate is unknown or done. */
export function timeLeft(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const whole = Math.round(seconds);
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return m ? `${m} min ${s} s left` : `${s} s left`;
}

/** "40 s", "12 min", "3.2 h": a duration at the precision an estimate deserves. */
export function duration(seconds: number): string {
  const minutes = seconds / 60;
  if (minutes < 1) return `${Math.max(1, Math.round(seconds))} s`;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}
