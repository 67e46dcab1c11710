// Draws a rows x cols matrix on a canvas with a diverging palette (blue < 0 < red),
// scaled to the largest magnitude so the sign and the relative size read at a glance.

/** The largest |value| among the first `count` values: the colour scale's end. */
export function largestMagnitude(values: Float32Array, count: number): number {
  let scale = 0;
  for (let i = 0; i < count; i++) scale = Math.max(scale, Math.abs(values[i] ?? 0));
  return scale;
}

export function drawHeatmap(canvas: HTMLCanvasElement, values: Float32Array, rows: number, cols: number, scale: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  canvas.width = cols;
  canvas.height = rows;
  const image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const t = scale > 0 ? (values[i] ?? 0) / scale : 0; // [-1, 1]
    const [r, g, b] = diverging(t);
    image.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

function diverging(t: number): [number, number, number] {
  const a = Math.min(1, Math.abs(t));
  // white at 0, towards #b3261e for positive and #2456c7 for negative
  const to = t >= 0 ? [179, 38, 30] : [36, 86, 199];
  return [255 + (to[0] - 255) * a, 255 + (to[1] - 255) * a, 255 + (to[2] - 255) * a].map(Math.round) as [number, number, number];
}

/** The weights W [rows x cols] of one generated layer (flattened W row-major, then b) and its bias. */
export function splitLayer(flat: Float32Array, rows: number, cols: number): { weights: Float32Array; bias: Float32Array } {
  return { weights: flat.subarray(0, rows * cols), bias: flat.subarray(rows * cols, rows * cols + cols) };
}

export function difference(a: Float32Array, b: Float32Array | undefined): Float32Array {
  const out = new Float32Array(a.length);
  if (b && b.length === a.length) for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}
