// AssemblyScript source of our SIMD kernels (build: `npm run build:kernels`, which writes
// module.generated.ts). The module imports tfjs-backend-wasm's own memory, so every pointer
// below is a byte offset of a float32 tensor on tfjs's heap and nothing is copied. It must
// not own any memory: no allocation, no strings, no static data (a data segment would be
// written over tfjs's heap when the module is instantiated; the build checks there is none).
// Row-major [rows, cols] everywhere; time-major tensors [T B, *] are read at row block `step`.
// Vector loops take 4 floats at a time; a scalar tail with the same formulas finishes a row.

// ---- exp, sigmoid, tanh: Cephes' single-precision algorithms (about 1-2 ulp) ----

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const EXP_MAX: f32 = 88.3762626647949;
const EXP_MIN: f32 = -87.3365478515625; // keeps 2^k a normal number
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;
// tanh(x) = x + x^3 q(x^2) for |x| < 0.625
const T0: f32 = -5.70498872745e-3;
const T1: f32 = 2.06390887954e-2;
const T2: f32 = -5.37397155531e-2;
const T3: f32 = 1.33314422036e-1;
const T4: f32 = -3.33332819422e-1;
const TANH_SMALL: f32 = 0.625;

// 1.5 * 2^23: adding it rounds a float below 2^22 in size to an integer (to nearest, ties to
// even, as `nearest`) held in the low mantissa bits, where 2^k's exponent field can be read
// off. V8 lowers i32x4.trunc_sat_f32x4_s to a long sequence on x64; this is one add.
const ROUNDER: f32 = 12582912.0;

@inline function expV(x0: v128): v128 {
  // pmin/pmax are one instruction each on x64 (min/max are IEEE sequences); a NaN x0 stays NaN
  const x1 = f32x4.pmin(f32x4.pmax(x0, f32x4.splat(EXP_MIN)), f32x4.splat(EXP_MAX));
  const rounded = f32x4.add(f32x4.mul(x1, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const k = f32x4.sub(rounded, f32x4.splat(ROUNDER));
  const x = f32x4.sub(f32x4.sub(x1, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(P0), x), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(P5));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(x, x)), x), f32x4.splat(1));
  // the bits of `rounded` are those of ROUNDER plus k; shifted by 23, ROUNDER's bits fall off
  const scale = i32x4.shl(i32x4.add(rounded, i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

@inline function expS(x0: f32): f32 {
  const x1 = min(max(x0, EXP_MIN), EXP_MAX);
  const k = nearest(x1 * LOG2E);
  const x = x1 - k * LN2_HI - k * LN2_LO;
  let p = P0 * x + P1;
  p = p * x + P2;
  p = p * x + P3;
  p = p * x + P4;
  p = p * x + P5;
  const y = p * (x * x) + x + 1;
  return y * reinterpret<f32>((<i32>k + 127) << 23);
}

@inline function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(x))));
}

@inline function sigmoidS(x: f32): f32 {
  return 1 / (1 + expS(-x));
}

@inline function tanhV(x: v128): v128 {
  const z = f32x4.mul(x, x);
  let q = f32x4.add(f32x4.mul(f32x4.splat(T0), z), f32x4.splat(T1));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(T2));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(T3));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(T4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(q, z), x), x);
  const one = f32x4.splat(1);
  // 1 - 2 / (e^{2|x|} + 1), with the sign of x put back
  const a = f32x4.abs(x);
  const large = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(expV(f32x4.add(a, a)), one)));
  const signed = v128.or(large, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(a, f32x4.splat(TANH_SMALL)));
}

@inline function tanhS(x: f32): f32 {
  const a = abs(x);
  if (a < TANH_SMALL) {
    const z = x * x;
    let q = T0 * z + T1;
    q = q * z + T2;
    q = q * z + T3;
    q = q * z + T4;
    return q * z * x + x;
  }
  const large: f32 = 1 - 2 / (expS(a + a) + 1);
  return x < 0 ? -large : large;
}

// ---- memory helpers: p is a byte offset, i an element index ----

@inline function ldV(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}
@inline function stV(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 2), v);
}
@inline function ld(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
@inline function st(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

// ---- elementwise ----

export function tanhArray(x: usize, out: usize, size: i32): void {
  let i = 0;
  for (; i + 4 <= size; i += 4) stV(out, i, tanhV(ldV(x, i)));
  for (; i < size; i++) st(out, i, tanhS(ld(x, i)));
}

export function sigmoidArray(x: usize, out: usize, size: i32): void {
  let i = 0;
  for (; i + 4 <= size; i += 4) stV(out, i, sigmoidV(ldV(x, i)));
  for (; i < size; i++) st(out, i, sigmoidS(ld(x, i)));
}

/** out[j] = sum over i of x[i, j], x [rows, cols]: a sum over leading axes with no transpose. */
export function sumRows(x: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, <usize>cols << 2);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    let j = 0;
    for (; j + 4 <= cols; j += 4) stV(out, j, f32x4.add(ldV(out, j), ldV(x, row + j)));
    for (; j < cols; j++) st(out, j, ld(out, j) + ld(x, row + j));
  }
}

// ---- row copies (src/engine/kernels/gather.ts) ----

/** out row i = x row ids[i] (int32 ids, already checked by the caller), rows of rowBytes bytes. */
export function gatherRows(x: usize, ids: usize, out: usize, count: i32, rowBytes: i32): void {
  const bytes = <usize>rowBytes;
  for (let i = 0; i < count; i++) {
    const row = <usize>load<i32>(ids + (<usize>i << 2));
    memory.copy(out + <usize>i * bytes, x + row * bytes, bytes);
  }
}

// ---- Adam (src/engine/adam.ts): one pass per parameter instead of 13 tfjs ops ----

/**
 * mOut = m b1 + g (1 - b1), vOut = v b2 + g^2 (1 - b2), pOut = p - mOut / (sqrt(vOut) vScale
 * + eps) stepSize: the op-by-op update's operations in its order, each rounded to float32,
 * so the result is the same bit for bit. Outputs may not alias inputs.
 */
export function adamUpdate(
  p: usize, m: usize, v: usize, g: usize, pOut: usize, mOut: usize, vOut: usize, size: i32,
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, vScale: f32, eps: f32, stepSize: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2);
  const c2 = f32x4.splat(oneMinusBeta2);
  const s = f32x4.splat(vScale);
  const e = f32x4.splat(eps);
  const lr = f32x4.splat(stepSize);
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    const gv = ldV(g, i);
    const mn = f32x4.add(f32x4.mul(ldV(m, i), b1), f32x4.mul(gv, c1));
    const vn = f32x4.add(f32x4.mul(ldV(v, i), b2), f32x4.mul(f32x4.mul(gv, gv), c2));
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vn), s), e);
    stV(mOut, i, mn);
    stV(vOut, i, vn);
    stV(pOut, i, f32x4.sub(ldV(p, i), f32x4.mul(f32x4.div(mn, denom), lr)));
  }
  for (; i < size; i++) {
    const gs = ld(g, i);
    const mn = ld(m, i) * beta1 + gs * oneMinusBeta1;
    const vn = ld(v, i) * beta2 + gs * gs * oneMinusBeta2;
    const denom = sqrt<f32>(vn) * vScale + eps;
    st(mOut, i, mn);
    st(vOut, i, vn);
    st(pOut, i, ld(p, i) - (mn / denom) * stepSize);
  }
}

// ---- the GRU (PyTorch gate layout r, z, n; formulas in src/engine/gru-bptt.ts) ----
// Each function is one time step; the caller (kernels/gru-step.ts) loops over the steps, runs
// tfjs-wasm's matMul in between and passes pointers already moved to the step's row block.

/**
 * One forward step. gh = h Wh [B, 3D] (no bias), gi = x_t Wi [B, 3D] (no bias), bi, bh [3D],
 * h [B, D]. Writes rz = sigmoid(gi_rz + bi_rz + gh_rz + bh_rz) [B, 2D], ghN = gh_n + bh_n,
 * n = tanh(gi_n + bi_n + r ghN) and h' = n + z (h - n), all [B, D]; h' goes to hNext and
 * hKeep. hNext may be h itself (each element of h is read before it is written). Adds
 * read[b] h'[b] to out [B, D] (the state read at each row's position).
 */
export function gruForwardStep(
  gh: usize, gi: usize, bi: usize, bh: usize, h: usize,
  rz: usize, n: usize, ghN: usize, hNext: usize, hKeep: usize, read: usize, out: usize,
  B: i32, D: i32,
): void {
  const w2 = 2 * D;
  const w3 = 3 * D;
  for (let b = 0; b < B; b++) {
    const row3 = b * w3;
    const o2 = b * w2;
    const o = b * D;
    const r0 = ld(read, b);
    const readV = f32x4.splat(r0);
    let j = 0;
    for (; j + 4 <= w2; j += 4) {
      const pre = f32x4.add(f32x4.add(ldV(gi, row3 + j), ldV(bi, j)), f32x4.add(ldV(gh, row3 + j), ldV(bh, j)));
      stV(rz, o2 + j, sigmoidV(pre));
    }
    for (; j < w2; j++) st(rz, o2 + j, sigmoidS(ld(gi, row3 + j) + ld(bi, j) + (ld(gh, row3 + j) + ld(bh, j))));
    let d = 0;
    for (; d + 4 <= D; d += 4) {
      const hn = f32x4.add(ldV(gh, row3 + w2 + d), ldV(bh, w2 + d));
      const nv = tanhV(f32x4.add(f32x4.add(ldV(gi, row3 + w2 + d), ldV(bi, w2 + d)), f32x4.mul(ldV(rz, o2 + d), hn)));
      const hv = ldV(h, o + d);
      const next = f32x4.add(nv, f32x4.mul(ldV(rz, o2 + D + d), f32x4.sub(hv, nv)));
      stV(ghN, o + d, hn);
      stV(n, o + d, nv);
      stV(hNext, o + d, next);
      stV(hKeep, o + d, next);
      stV(out, o + d, f32x4.add(ldV(out, o + d), f32x4.mul(readV, next)));
    }
    for (; d < D; d++) {
      const hn = ld(gh, row3 + w2 + d) + ld(bh, w2 + d);
      const nv = tanhS(ld(gi, row3 + w2 + d) + ld(bi, w2 + d) + ld(rz, o2 + d) * hn);
      const next = nv + ld(rz, o2 + D + d) * (ld(h, o + d) - nv);
      st(ghN, o + d, hn);
      st(n, o + d, nv);
      st(hNext, o + d, next);
      st(hKeep, o + d, next);
      st(out, o + d, ld(out, o + d) + r0 * next);
    }
  }
}

/**
 * One backward step. dh = m + dhz + read dOut (m = dgh_{t+1} Wh^T, dhz = dh_{t+1} z_{t+1}:
 * zeros at the last step); dhz is overwritten with dh z_t. rz [B, 2D], n, ghN, hPrev (h_{t-1})
 * and dOut [B, D], read [B]. Writes dgh [B, 3D] and dgi [B, 3D] and adds the step's column
 * sums of dgh and dgi to db [2, 3D].
 */
export function gruBackwardStep(
  dOut: usize, m: usize, dhz: usize, read: usize,
  rz: usize, n: usize, ghN: usize, hPrev: usize,
  dgh: usize, dgi: usize, db: usize,
  B: i32, D: i32,
): void {
  const w2 = 2 * D;
  const w3 = 3 * D;
  const oneV = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const r0 = ld(read, b);
    const readV = f32x4.splat(r0);
    const row3 = b * w3;
    const o2 = b * w2;
    const o = b * D;
    let d = 0;
    for (; d + 4 <= D; d += 4) {
      const dh = f32x4.add(f32x4.add(ldV(m, o + d), ldV(dhz, o + d)), f32x4.mul(readV, ldV(dOut, o + d)));
      const r = ldV(rz, o2 + d);
      const z = ldV(rz, o2 + D + d);
      const nk = ldV(n, o + d);
      const oneMinusZ = f32x4.sub(oneV, z);
      const dn = f32x4.mul(f32x4.mul(dh, oneMinusZ), f32x4.sub(oneV, f32x4.mul(nk, nk)));
      const dz = f32x4.mul(f32x4.mul(f32x4.mul(dh, f32x4.sub(ldV(hPrev, o + d), nk)), z), oneMinusZ);
      const dr = f32x4.mul(f32x4.mul(f32x4.mul(dn, ldV(ghN, o + d)), r), f32x4.sub(oneV, r));
      const dnr = f32x4.mul(dn, r);
      stV(dgh, row3 + d, dr);
      stV(dgi, row3 + d, dr);
      stV(dgh, row3 + D + d, dz);
      stV(dgi, row3 + D + d, dz);
      stV(dgh, row3 + w2 + d, dnr);
      stV(dgi, row3 + w2 + d, dn);
      stV(dhz, o + d, f32x4.mul(dh, z));
      stV(db, d, f32x4.add(ldV(db, d), dr));
      stV(db, D + d, f32x4.add(ldV(db, D + d), dz));
      stV(db, w2 + d, f32x4.add(ldV(db, w2 + d), dnr));
      stV(db, w3 + d, f32x4.add(ldV(db, w3 + d), dr));
      stV(db, w3 + D + d, f32x4.add(ldV(db, w3 + D + d), dz));
      stV(db, w3 + w2 + d, f32x4.add(ldV(db, w3 + w2 + d), dn));
    }
    for (; d < D; d++) {
      const dh = ld(m, o + d) + ld(dhz, o + d) + r0 * ld(dOut, o + d);
      const r = ld(rz, o2 + d);
      const z = ld(rz, o2 + D + d);
      const nk = ld(n, o + d);
      const oneMinusZ: f32 = 1 - z;
      const dn = dh * oneMinusZ * (1 - nk * nk);
      const dz = dh * (ld(hPrev, o + d) - nk) * z * oneMinusZ;
      const dr = dn * ld(ghN, o + d) * r * (1 - r);
      const dnr = dn * r;
      st(dgh, row3 + d, dr);
      st(dgi, row3 + d, dr);
      st(dgh, row3 + D + d, dz);
      st(dgi, row3 + D + d, dz);
      st(dgh, row3 + w2 + d, dnr);
      st(dgi, row3 + w2 + d, dn);
      st(dhz, o + d, dh * z);
      st(db, d, ld(db, d) + dr);
      st(db, D + d, ld(db, D + d) + dz);
      st(db, w2 + d, ld(db, w2 + d) + dnr);
      st(db, w3 + d, ld(db, w3 + d) + dr);
      st(db, w3 + D + d, ld(db, w3 + D + d) + dz);
      st(db, w3 + w2 + d, ld(db, w3 + w2 + d) + dn);
    }
  }
}

// ---- SASRec's last layer: attention of one query row per sequence (src/engine/sasrec.ts) ----
// Keys and values are never projected: with q~_h = Wk_h q_h / sqrt(dh) (a D-vector per head),
// score[l, h] = x_l . q~_h (q_h . bk_h is the same for every l, so the softmax drops it), and
// since the weights sum to 1, attended_h = (sum_l w[l, h] x_l) Wv_h + bv_h. That is
// O(B L H D) work instead of the O(B L D^2) key and value projections.

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = f32x4.add(acc, f32x4.mul(ldV(a, i), ldV(b, i)));
  let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; i < n; i++) s += ld(a, i) * ld(b, i);
  return s;
}

/** y += a x over n floats. */
@inline function axpy(y: usize, a: f32, x: usize, n: i32): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) stV(y, i, f32x4.add(ldV(y, i), f32x4.mul(av, ldV(x, i))));
  for (; i < n; i++) st(y, i, ld(y, i) + a * ld(x, i));
}

/** out [cols, rows] = a [rows, cols] transposed. */
function transposeInto(a: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) st(out, c * rows + r, ld(a, r * cols + c));
}

/**
 * Forward. x [B, L, D], q [B, D] (the query row, projected), wk, wv [D, D], bv [D], mask
 * [B, L] (additive, read when hasMask). Writes out [B, D] (the attended row before Wo) and,
 * for the backward, w [B, L, H] (softmax weights over l), xbar [B, H, D] = sum_l w x_l and
 * qt [B, H, D] = q~. scratch: D * D floats.
 */
export function attendRowForward(
  x: usize, q: usize, wk: usize, wv: usize, bv: usize, mask: usize, hasMask: i32,
  out: usize, w: usize, xbar: usize, qt: usize, scratch: usize,
  B: i32, L: i32, D: i32, H: i32, scale: f32,
): void {
  const dh = D / H;
  const wkT = scratch;
  transposeInto(wk, wkT, D, D);
  memory.fill(qt, 0, <usize>(B * H * D) << 2);
  memory.fill(xbar, 0, <usize>(B * H * D) << 2);
  for (let b = 0; b < B; b++) {
    const xb = at(x, b * L * D);
    const qb = at(q, b * D);
    const qtb = at(qt, b * H * D);
    const wb = at(w, b * L * H);
    const xbarb = at(xbar, b * H * D);
    for (let h = 0; h < H; h++) {
      for (let jj = 0; jj < dh; jj++) {
        const j = h * dh + jj;
        axpy(at(qtb, h * D), ld(qb, j) * scale, at(wkT, j * D), D);
      }
    }
    for (let l = 0; l < L; l++) {
      const bias: f32 = hasMask ? ld(mask, b * L + l) : 0;
      for (let h = 0; h < H; h++) st(wb, l * H + h, dot(at(xb, l * D), at(qtb, h * D), D) + bias);
    }
    for (let h = 0; h < H; h++) {
      let m = ld(wb, h);
      for (let l = 1; l < L; l++) m = max(m, ld(wb, l * H + h));
      let sum: f32 = 0;
      for (let l = 0; l < L; l++) {
        const shifted = ld(wb, l * H + h) - m;
        const e: f32 = shifted < EXP_MIN ? 0 : expS(shifted);
        st(wb, l * H + h, e);
        sum += e;
      }
      for (let l = 0; l < L; l++) st(wb, l * H + h, ld(wb, l * H + h) / sum);
    }
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) axpy(at(xbarb, h * D), ld(wb, l * H + h), at(xb, l * D), D);
    }
    const ob = at(out, b * D);
    memory.copy(ob, bv, <usize>D << 2);
    for (let h = 0; h < H; h++) {
      for (let d = 0; d < D; d++) axpy(at(ob, h * dh), ld(xbarb, h * D + d), at(wv, d * D + h * dh), dh);
    }
  }
}

/**
 * Backward of attendRowForward from dA [B, D] (the gradient at out). Writes dx [B, L, D],
 * dq [B, D], dwk, dwv [D, D], dbk, dbv [D]. dbk is what the key bias would get if the keys
 * were projected (sum_l of the score gradients, ~0: the softmax ignores the bias).
 * scratch: 2 D^2 + 2 H D + L H floats.
 */
export function attendRowBackward(
  dA: usize, x: usize, q: usize, wk: usize, wv: usize, w: usize, xbar: usize, qt: usize,
  dx: usize, dq: usize, dwk: usize, dbk: usize, dwv: usize, dbv: usize, scratch: usize,
  B: i32, L: i32, D: i32, H: i32, scale: f32,
): void {
  const dh = D / H;
  const wkT = scratch;
  const dwkT = at(scratch, D * D);
  const dxbar = at(scratch, 2 * D * D);
  const dqt = at(dxbar, H * D);
  const ds = at(dqt, H * D);
  transposeInto(wk, wkT, D, D);
  memory.fill(dwkT, 0, <usize>(D * D) << 2);
  memory.fill(dwv, 0, <usize>(D * D) << 2);
  memory.fill(dbk, 0, <usize>D << 2);
  memory.fill(dbv, 0, <usize>D << 2);
  memory.fill(dx, 0, <usize>(B * L * D) << 2);
  for (let b = 0; b < B; b++) {
    const dAb = at(dA, b * D);
    const xb = at(x, b * L * D);
    const qb = at(q, b * D);
    const qtb = at(qt, b * H * D);
    const wb = at(w, b * L * H);
    const xbarb = at(xbar, b * H * D);
    axpy(dbv, 1, dAb, D);
    for (let h = 0; h < H; h++) {
      for (let d = 0; d < D; d++) {
        axpy(at(dwv, d * D + h * dh), ld(xbarb, h * D + d), at(dAb, h * dh), dh);
        st(dxbar, h * D + d, dot(at(wv, d * D + h * dh), at(dAb, h * dh), dh));
      }
    }
    for (let h = 0; h < H; h++) {
      let acc: f32 = 0;
      for (let l = 0; l < L; l++) {
        const dw = dot(at(xb, l * D), at(dxbar, h * D), D);
        st(ds, l * H + h, dw);
        acc += ld(wb, l * H + h) * dw;
      }
      for (let l = 0; l < L; l++) st(ds, l * H + h, ld(wb, l * H + h) * (ld(ds, l * H + h) - acc));
    }
    memory.fill(dqt, 0, <usize>(H * D) << 2);
    const dxb = at(dx, b * L * D);
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) {
        const dsv = ld(ds, l * H + h);
        axpy(at(dxb, l * D), ld(wb, l * H + h), at(dxbar, h * D), D);
        axpy(at(dxb, l * D), dsv, at(qtb, h * D), D);
        axpy(at(dqt, h * D), dsv, at(xb, l * D), D);
      }
    }
    const dqb = at(dq, b * D);
    for (let h = 0; h < H; h++) {
      let dsSum: f32 = 0;
      for (let l = 0; l < L; l++) dsSum += ld(ds, l * H + h);
      for (let jj = 0; jj < dh; jj++) {
        const j = h * dh + jj;
        const qj = ld(qb, j) * scale;
        st(dqb, j, dot(at(wkT, j * D), at(dqt, h * D), D) * scale);
        axpy(at(dwkT, j * D), qj, at(dqt, h * D), D);
        st(dbk, j, ld(dbk, j) + qj * dsSum);
      }
    }
  }
  transposeInto(dwkT, dwk, D, D);
}

// ---- DUET's generated layers (src/engine/generator.ts) ----
// y = (z (x) x) A + x a + z B + c as one matmul over the row [z (x) x | x | z] (width
// D in + in + D) and the stacked weights [A; a; B]. These build that row and, from its
// gradient, the gradients of x and z.

/** out [B, D I + I + D]: row b = [z_b (x) x_b (index m I + j), x_b, z_b]; z [B, D], x [B, I]. */
export function generatedInput(z: usize, x: usize, out: usize, B: i32, D: i32, I: i32): void {
  const K = D * I + I + D;
  for (let b = 0; b < B; b++) {
    const ob = at(out, b * K);
    const xb = at(x, b * I);
    const zb = at(z, b * D);
    for (let m = 0; m < D; m++) {
      const zm = f32x4.splat(ld(zb, m));
      const om = at(ob, m * I);
      let j = 0;
      for (; j + 4 <= I; j += 4) stV(om, j, f32x4.mul(zm, ldV(xb, j)));
      for (; j < I; j++) st(om, j, ld(zb, m) * ld(xb, j));
    }
    memory.copy(at(ob, D * I), xb, <usize>I << 2);
    memory.copy(at(ob, D * I + I), zb, <usize>D << 2);
  }
}

/** From d [B, D I + I + D] (the gradient at generatedInput's rows): dx [B, I], dz [B, D]. */
export function generatedInputGrad(d: usize, z: usize, x: usize, dz: usize, dx: usize, B: i32, D: i32, I: i32): void {
  const K = D * I + I + D;
  for (let b = 0; b < B; b++) {
    const db = at(d, b * K);
    const xb = at(x, b * I);
    const zb = at(z, b * D);
    const dxb = at(dx, b * I);
    const dzb = at(dz, b * D);
    memory.copy(dxb, at(db, D * I), <usize>I << 2);
    for (let m = 0; m < D; m++) {
      const dm = at(db, m * I);
      st(dzb, m, dot(dm, xb, I) + ld(db, D * I + I + m));
      axpy(dxb, ld(zb, m), dm, I);
    }
  }
}

// ---- layer normalisation over the last axis (src/engine/layers.ts) ----

/**
 * x [N, D] -> out = xhat gamma + beta, xhat = (x - mean) / sqrt(var + eps) (biased variance,
 * as PyTorch). Keeps xhat [N, D] and rstd [N] = 1 / sqrt(var + eps) for the backward.
 */
export function layerNormForward(x: usize, gamma: usize, beta: usize, out: usize, xhat: usize, rstd: usize, N: i32, D: i32, eps: f32): void {
  const invD: f32 = 1 / <f32>D;
  for (let n = 0; n < N; n++) {
    const xn = at(x, n * D);
    const hn = at(xhat, n * D);
    const on = at(out, n * D);
    let sum = f32x4.splat(0);
    let d = 0;
    for (; d + 4 <= D; d += 4) sum = f32x4.add(sum, ldV(xn, d));
    let mean: f32 = f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + (f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3));
    for (; d < D; d++) mean += ld(xn, d);
    mean *= invD;
    const meanV = f32x4.splat(mean);
    let sq = f32x4.splat(0);
    d = 0;
    for (; d + 4 <= D; d += 4) {
      const c = f32x4.sub(ldV(xn, d), meanV);
      stV(hn, d, c);
      sq = f32x4.add(sq, f32x4.mul(c, c));
    }
    let variance: f32 = f32x4.extract_lane(sq, 0) + f32x4.extract_lane(sq, 1) + (f32x4.extract_lane(sq, 2) + f32x4.extract_lane(sq, 3));
    for (; d < D; d++) {
      const c = ld(xn, d) - mean;
      st(hn, d, c);
      variance += c * c;
    }
    const r: f32 = 1 / sqrt<f32>(variance * invD + eps);
    st(rstd, n, r);
    const rV = f32x4.splat(r);
    d = 0;
    for (; d + 4 <= D; d += 4) {
      const h = f32x4.mul(ldV(hn, d), rV);
      stV(hn, d, h);
      stV(on, d, f32x4.add(f32x4.mul(h, ldV(gamma, d)), ldV(beta, d)));
    }
    for (; d < D; d++) {
      const h = ld(hn, d) * r;
      st(hn, d, h);
      st(on, d, h * ld(gamma, d) + ld(beta, d));
    }
  }
}

/**
 * Backward of layerNormForward from dy [N, D]: dx = rstd (g - mean(g) - xhat mean(g xhat))
 * with g = dy gamma; dgamma = sum_n dy xhat, dbeta = sum_n dy.
 */
export function layerNormBackward(dy: usize, xhat: usize, rstd: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize, N: i32, D: i32): void {
  const invD: f32 = 1 / <f32>D;
  memory.fill(dgamma, 0, <usize>D << 2);
  memory.fill(dbeta, 0, <usize>D << 2);
  for (let n = 0; n < N; n++) {
    const dyn = at(dy, n * D);
    const hn = at(xhat, n * D);
    const dxn = at(dx, n * D);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let d = 0;
    for (; d + 4 <= D; d += 4) {
      const dyv = ldV(dyn, d);
      const h = ldV(hn, d);
      const g = f32x4.mul(dyv, ldV(gamma, d));
      s1 = f32x4.add(s1, g);
      s2 = f32x4.add(s2, f32x4.mul(g, h));
      stV(dgamma, d, f32x4.add(ldV(dgamma, d), f32x4.mul(dyv, h)));
      stV(dbeta, d, f32x4.add(ldV(dbeta, d), dyv));
    }
    let m1: f32 = f32x4.extract_lane(s1, 0) + f32x4.extract_lane(s1, 1) + (f32x4.extract_lane(s1, 2) + f32x4.extract_lane(s1, 3));
    let m2: f32 = f32x4.extract_lane(s2, 0) + f32x4.extract_lane(s2, 1) + (f32x4.extract_lane(s2, 2) + f32x4.extract_lane(s2, 3));
    for (; d < D; d++) {
      const dyv = ld(dyn, d);
      const h = ld(hn, d);
      const g = dyv * ld(gamma, d);
      m1 += g;
      m2 += g * h;
      st(dgamma, d, ld(dgamma, d) + dyv * h);
      st(dbeta, d, ld(dbeta, d) + dyv);
    }
    m1 *= invD;
    m2 *= invD;
    const r = ld(rstd, n);
    const rV = f32x4.splat(r);
    const m1V = f32x4.splat(m1);
    const m2V = f32x4.splat(m2);
    d = 0;
    for (; d + 4 <= D; d += 4) {
      const g = f32x4.mul(ldV(dyn, d), ldV(gamma, d));
      stV(dxn, d, f32x4.mul(rV, f32x4.sub(f32x4.sub(g, m1V), f32x4.mul(ldV(hn, d), m2V))));
    }
    for (; d < D; d++) st(dxn, d, r * (ld(dyn, d) * ld(gamma, d) - m1 - ld(hn, d) * m2));
  }
}

// ---- UnsortedSegmentSum (tf.gather's gradient: every embedding lookup) ----

/** out [numSegments, inner] = 0, then out[ids[i]] += x[i] for ids in range, in row order. ids: int32. */
export function segmentSum(x: usize, ids: usize, out: usize, rows: i32, inner: i32, numSegments: i32): void {
  memory.fill(out, 0, <usize>(numSegments * inner) << 2);
  for (let i = 0; i < rows; i++) {
    const s = load<i32>(ids + (<usize>i << 2));
    if (s < 0 || s >= numSegments) continue;
    axpy(at(out, s * inner), 1, at(x, i * inner), inner);
  }
}

// ---- tanh(x W + b) (src/engine/layers.ts denseTanh): the bias add and tanh in one pass ----

/** y = tanh(xw + b) over rows of xw [N, M]. */
export function biasTanh(xw: usize, b: usize, y: usize, N: i32, M: i32): void {
  for (let n = 0; n < N; n++) {
    const row = n * M;
    let j = 0;
    for (; j + 4 <= M; j += 4) stV(y, row + j, tanhV(f32x4.add(ldV(xw, row + j), ldV(b, j))));
    for (; j < M; j++) st(y, row + j, tanhS(ld(xw, row + j) + ld(b, j)));
  }
}

/** g = dy (1 - y^2) [N, M] and db = sum over rows of g [M] (row order, as sumRows). */
export function biasTanhGrad(y: usize, dy: usize, g: usize, db: usize, N: i32, M: i32): void {
  memory.fill(db, 0, <usize>M << 2);
  const one = f32x4.splat(1);
  for (let n = 0; n < N; n++) {
    const row = n * M;
    let j = 0;
    for (; j + 4 <= M; j += 4) {
      const yv = ldV(y, row + j);
      const gv = f32x4.mul(ldV(dy, row + j), f32x4.sub(one, f32x4.mul(yv, yv)));
      stV(g, row + j, gv);
      stV(db, j, f32x4.add(ldV(db, j), gv));
    }
    for (; j < M; j++) {
      const yv = ld(y, row + j);
      const gv = ld(dy, row + j) * (1 - yv * yv);
      st(g, row + j, gv);
      st(db, j, ld(db, j) + gv);
    }
  }
}

// ---- a small matrix product, for the GRU's per-step h Wh when the batch is a few rows ----
// (a device click runs the generator's GRU on one row: tfjs's matMul call cost more than the
// 3 k multiply-adds it does)

/** out [M, N] = a [M, K] b [K, N], row by row. */
export function matMulSmall(a: usize, b: usize, out: usize, M: i32, K: i32, N: i32): void {
  memory.fill(out, 0, <usize>(M * N) << 2);
  for (let i = 0; i < M; i++) {
    const oi = at(out, i * N);
    for (let k = 0; k < K; k++) axpy(oi, ld(a, i * K + k), at(b, k * N), N);
  }
}

/**
 * out [M, N] = a [M, K] b [K, N]: two rows by 16 columns at a time, the eight accumulators in
 * registers over the whole K (matMulSmall goes through memory per k); the last N mod 16
 * columns four, then one, at a time.
 */
export function matMulBlocked(a: usize, b: usize, out: usize, M: i32, K: i32, N: i32): void {
  const N16 = N & ~15;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = a + (<usize>(i * K) << 2);
    const a1 = a0 + (<usize>K << 2);
    for (let j = N16; j < N; j++) {
      // the tail columns: one at a time is enough (at most 15 of them)
      let s0: f32 = 0, s1: f32 = 0;
      for (let k = 0; k < K; k++) {
        const w = ld(b, k * N + j);
        s0 += ld(a0, k) * w;
        s1 += ld(a1, k) * w;
      }
      st(out, i * N + j, s0);
      st(out, (i + 1) * N + j, s1);
    }
    for (let j = 0; j < N16; j += 16) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      let bk = b + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const s0 = v128.load32_splat(a0 + (<usize>k << 2));
        const s1 = v128.load32_splat(a1 + (<usize>k << 2));
        const w0 = v128.load(bk), w1 = v128.load(bk, 16), w2 = v128.load(bk, 32), w3 = v128.load(bk, 48);
        c00 = f32x4.add(c00, f32x4.mul(s0, w0)); c10 = f32x4.add(c10, f32x4.mul(s1, w0));
        c01 = f32x4.add(c01, f32x4.mul(s0, w1)); c11 = f32x4.add(c11, f32x4.mul(s1, w1));
        c02 = f32x4.add(c02, f32x4.mul(s0, w2)); c12 = f32x4.add(c12, f32x4.mul(s1, w2));
        c03 = f32x4.add(c03, f32x4.mul(s0, w3)); c13 = f32x4.add(c13, f32x4.mul(s1, w3));
        bk += <usize>N << 2;
      }
      const o0 = out + (<usize>(i * N + j) << 2);
      const o1 = o0 + (<usize>N << 2);
      v128.store(o0, c00); v128.store(o0, c01, 16); v128.store(o0, c02, 32); v128.store(o0, c03, 48);
      v128.store(o1, c10); v128.store(o1, c11, 16); v128.store(o1, c12, 32); v128.store(o1, c13, 48);
    }
  }
  if (i < M) matMulSmall(a + (<usize>(i * K) << 2), b, out + (<usize>(i * N) << 2), M - i, K, N);
}

/**
 * out [M, N] = a^T b for a [R, M], b [R, N], N a multiple of 16 (a weight gradient x^T dy,
 * with no transposed copy of x). Rows go in chunks that stay in cache; within a chunk, two
 * output rows by 16 columns accumulate in registers, added to out at the chunk's end.
 */
export function matMulTransposedA(a: usize, b: usize, out: usize, R: i32, M: i32, N: i32): void {
  memory.fill(out, 0, <usize>(M * N) << 2);
  const chunk = 256;
  const aStride = <usize>M << 2;
  const bStride = <usize>N << 2;
  for (let r0 = 0; r0 < R; r0 += chunk) {
    const rows = min(chunk, R - r0);
    let i = 0;
    for (; i + 2 <= M; i += 2) {
      for (let j = 0; j < N; j += 16) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
        let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
        let ar = a + ((<usize>r0 * <usize>M + <usize>i) << 2);
        let br = b + ((<usize>r0 * <usize>N + <usize>j) << 2);
        for (let r = 0; r < rows; r++) {
          const s0 = v128.load32_splat(ar);
          const s1 = v128.load32_splat(ar, 4);
          const w0 = v128.load(br), w1 = v128.load(br, 16), w2 = v128.load(br, 32), w3 = v128.load(br, 48);
          c00 = f32x4.add(c00, f32x4.mul(s0, w0)); c10 = f32x4.add(c10, f32x4.mul(s1, w0));
          c01 = f32x4.add(c01, f32x4.mul(s0, w1)); c11 = f32x4.add(c11, f32x4.mul(s1, w1));
          c02 = f32x4.add(c02, f32x4.mul(s0, w2)); c12 = f32x4.add(c12, f32x4.mul(s1, w2));
          c03 = f32x4.add(c03, f32x4.mul(s0, w3)); c13 = f32x4.add(c13, f32x4.mul(s1, w3));
          ar += aStride;
          br += bStride;
        }
        const o0 = out + (<usize>(i * N + j) << 2);
        const o1 = o0 + bStride;
        v128.store(o0, f32x4.add(v128.load(o0), c00)); v128.store(o0, f32x4.add(v128.load(o0, 16), c01), 16);
        v128.store(o0, f32x4.add(v128.load(o0, 32), c02), 32); v128.store(o0, f32x4.add(v128.load(o0, 48), c03), 48);
        v128.store(o1, f32x4.add(v128.load(o1), c10)); v128.store(o1, f32x4.add(v128.load(o1, 16), c11), 16);
        v128.store(o1, f32x4.add(v128.load(o1, 32), c12), 32); v128.store(o1, f32x4.add(v128.load(o1, 48), c13), 48);
      }
    }
    for (; i < M; i++) {
      // the last output row of an odd M: one row of a's column at a time
      const o = out + (<usize>(i * N) << 2);
      for (let r = r0; r < r0 + rows; r++) axpy(o, ld(a, r * M + i), b + (<usize>(r * N) << 2), N);
    }
  }
}

/** out [N, M] = a [M, N] transposed (for products with a transposed right operand). */
export function transposeMatrix(a: usize, out: usize, M: i32, N: i32): void {
  transposeInto(a, out, M, N);
}

/**
 * The generated layers themselves (what a device click returns): out [rows, P + O] row r =
 * [z_r A + a, z_r B + c], z [rows, D], A [D, P], a [P], B [D, O], c [O].
 */
export function generatedLayerRows(z: usize, A: usize, a: usize, B: usize, c: usize, out: usize, rows: i32, D: i32, P: i32, O: i32): void {
  const K = P + O;
  memory.fill(out, 0, <usize>(rows * K) << 2);
  for (let r = 0; r < rows; r++) {
    const o = at(out, r * K);
    for (let m = 0; m < D; m++) {
      const zm = ld(z, r * D + m);
      axpy(o, zm, at(A, m * P), P);
      axpy(at(o, P), zm, at(B, m * O), O);
    }
    axpy(o, 1, a, P);
    axpy(at(o, P), 1, c, O);
  }
}

// ---- one row outside a gradient (a device click, kernels/click-row.ts) ----
// Each replaces a run of tfjs launches that cost more in launch overhead than in arithmetic.

/** out [N] = x [K] W [K, N] + b [N]. */
@inline function rowTimes(x: usize, W: usize, b: usize, out: usize, K: i32, N: i32): void {
  memory.fill(out, 0, <usize>N << 2);
  for (let k = 0; k < K; k++) axpy(out, ld(x, k), at(W, k * N), N);
  axpy(out, 1, b, N);
}

/**
 * SASRec's history for rows of item ids: out [N, D] row n = tanh((E[items[n]] + P[n mod L]) W + b),
 * E [V, D], items [N] int32, P [L, D], W [D, D], b [D]. An id outside [0, V) reads row 0 (padding).
 */
export function historyRows(E: usize, items: usize, P: usize, W: usize, b: usize, out: usize, N: i32, L: i32, D: i32, V: i32): void {
  for (let n = 0; n < N; n++) {
    let id = load<i32>(items + (<usize>n << 2));
    if (id < 0 || id >= V) id = 0;
    const e = at(E, id * D);
    const p = at(P, (n % L) * D);
    const o = at(out, n * D);
    memory.fill(o, 0, <usize>D << 2);
    for (let k = 0; k < D; k++) axpy(o, ld(e, k) + ld(p, k), at(W, k * D), D);
    let j = 0;
    for (; j + 4 <= D; j += 4) stV(o, j, tanhV(f32x4.add(ldV(o, j), ldV(b, j))));
    for (; j < D; j++) st(o, j, tanhS(ld(o, j) + ld(b, j)));
  }
}

/**
 * SASRec's last layer for one sequence (src/engine/sasrec.ts readRowLayer): x [L, D] the
 * layer's input, read [L] one-hot of the query row, mask [L] (1 real, 0 padding; padded keys
 * get -1e9 when hasMask). Query projection, attendRowForward, then post-norm residual blocks
 * around Wo and the FFN (F = its width, relu). Writes out [D]. scratch: D D + 2 H D + L H + L + F + 8 D floats.
 */
export function sasrecReadRow(
  x: usize, read: usize, mask: usize, hasMask: i32,
  wq: usize, bq: usize, wk: usize, wv: usize, bv: usize, wo: usize, bo: usize,
  g1: usize, be1: usize, f1w: usize, f1b: usize, f2w: usize, f2b: usize, g2: usize, be2: usize,
  out: usize, scratch: usize, L: i32, D: i32, H: i32, F: i32, scale: f32, eps: f32,
): void {
  let r = 0;
  for (let l = 0; l < L; l++) {
    if (ld(read, l) != 0) {
      r = l;
      break;
    }
  }
  const xr = at(x, r * D);
  const q = scratch;
  const bias = at(q, D);
  const att = at(bias, L);
  const w = at(att, D);
  const xbar = at(w, L * H);
  const qt = at(xbar, H * D);
  const work = at(qt, H * D);
  const t = at(work, D * D);
  const y1 = at(t, D);
  const xhat = at(y1, D);
  const rstd = at(xhat, D);
  const y = at(rstd, D);
  const f = at(y, D);
  rowTimes(xr, wq, bq, q, D, D);
  if (hasMask) for (let l = 0; l < L; l++) st(bias, l, (1 - ld(mask, l)) * -1e9);
  attendRowForward(x, q, wk, wv, bv, bias, hasMask, att, w, xbar, qt, work, 1, L, D, H, scale);
  rowTimes(att, wo, bo, t, D, D);
  for (let d = 0; d < D; d++) st(y1, d, ld(xr, d) + ld(t, d));
  layerNormForward(y1, g1, be1, y, xhat, rstd, 1, D, eps);
  rowTimes(y, f1w, f1b, f, D, F);
  for (let j = 0; j < F; j++) st(f, j, max<f32>(ld(f, j), 0));
  rowTimes(f, f2w, f2b, t, F, D);
  for (let d = 0; d < D; d++) st(y1, d, ld(y, d) + ld(t, d));
  layerNormForward(y1, g2, be2, out, xhat, rstd, 1, D, eps);
}

/**
 * DUET's generator head and generated classifier for one sequence (src/engine/model.ts
 * userVectorsWithLayers): z = tanh(g zw1 + zb1) zw2 + zb2 from the generator's GRU state g [D];
 * the generated layers layer_i = [z A_i + a_i | z B_i + c_i] (generatedLayerRows), and the user
 * vector u = tanh(s W_1 + b_1) W_2 + b_2 [O2] through those very layers from the backbone's
 * state s [I1] (W_i row-major [I_i, O_i], b_i after it). scratch: 2 D + O1 floats.
 */
export function generatedClickRow(
  g: usize, s: usize, zw1: usize, zb1: usize, zw2: usize, zb2: usize,
  A1: usize, a1: usize, B1: usize, c1: usize, A2: usize, a2: usize, B2: usize, c2: usize,
  u: usize, layer1: usize, layer2: usize, scratch: usize, D: i32, I1: i32, O1: i32, I2: i32, O2: i32,
): void {
  const hz = scratch;
  const z = at(hz, D);
  const hidden = at(z, D);
  rowTimes(g, zw1, zb1, hz, D, D);
  tanhArray(hz, hz, D);
  rowTimes(hz, zw2, zb2, z, D, D);
  const P1 = I1 * O1;
  const P2 = I2 * O2;
  generatedLayerRows(z, A1, a1, B1, c1, layer1, 1, D, P1, O1);
  generatedLayerRows(z, A2, a2, B2, c2, layer2, 1, D, P2, O2);
  rowTimes(s, layer1, at(layer1, P1), hidden, I1, O1);
  tanhArray(hidden, hidden, O1);
  rowTimes(hidden, layer2, at(layer2, P2), u, I2, O2);
}

/**
 * The GRU over one sequence (a device click's generator or GRU4Rec state): the state after
 * `steps` steps of x [steps, D] into h [D], each step as the batched forward computes it
 * (gi = x_t Wi, gh = h Wh, then gruForwardStep), so the values are the same. scratch: 12 D + 1
 * floats.
 */
export function gruRow(x: usize, wi: usize, bi: usize, wh: usize, bh: usize, h: usize, scratch: usize, steps: i32, D: i32): void {
  const w3 = 3 * D;
  const gi = scratch;
  const gh = at(gi, w3);
  const rz = at(gh, w3);
  const n = at(rz, 2 * D);
  const ghN = at(n, D);
  const keep = at(ghN, D);
  const unread = at(keep, D); // one float 0: no state is summed into `ignored`
  const ignored = at(unread, 1);
  st(unread, 0, 0);
  memory.fill(h, 0, <usize>D << 2);
  for (let t = 0; t < steps; t++) {
    matMulSmall(at(x, t * D), wi, gi, 1, D, w3);
    matMulSmall(h, wh, gh, 1, D, w3);
    gruForwardStep(gh, gi, bi, bh, h, rz, n, ghN, h, keep, unread, ignored, 1, D);
  }
}
