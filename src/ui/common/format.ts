// Small text formats shared by the steps' progress lines.

/** "1 min 5 s left", "40 s left", or '' while the estimate is unknown or done. */
export function timeLeft(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const whole = Math.round(seconds);
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return m ? `${m} min ${s} s left` : `${s} s left`;
}
