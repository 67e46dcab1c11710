// Splitting a dataset's typed arrays into bounded records for IndexedDB. Chromium
// refuses a single value above ~128 MB (measured: "max=133169152 bytes"), and an
// ML-1M-sized sample set is several times that, so bulk arrays are stored as parts
// and the record that holds everything else keeps a reference to them.

type Bulk = Int32Array | Float32Array | Float64Array | Uint8Array | Uint32Array | Int16Array | Uint16Array | Int8Array;

const constructors = { Int32Array, Float32Array, Float64Array, Uint8Array, Uint32Array, Int16Array, Uint16Array, Int8Array };
type BulkType = keyof typeof constructors;

/** What replaces a typed array inside the stored shell. */
export interface BulkRef {
  $bulk: string; // path, e.g. "train.clickSeq"
  type: BulkType;
  length: number;
  parts: number;
}

/** What replaces an object or typed array met a second time (stored once, shared again on load). */
export interface SameRef {
  $same: string;
}

export interface BulkPart {
  path: string;
  part: number;
  data: Bulk;
}

/** Default part size: 16 MB, well under the browser's per-value limit. */
export const defaultPartBytes = 16 * 2 ** 20;

/**
 * Returns `value` with every typed array replaced by a BulkRef, and a generator of the
 * parts (sliced lazily, so only one extra part is in memory at a time while writing).
 */
export function splitBulk(value: unknown, partBytes = defaultPartBytes): { shell: unknown; parts: () => Generator<BulkPart> } {
  const found: { path: string; data: Bulk; perPart: number }[] = [];
  const seen = new Map<object, string>();
  const walk = (v: unknown, path: string): unknown => {
    if (v !== null && typeof v === 'object') {
      const first = seen.get(v);
      if (first !== undefined) return { $same: first } satisfies SameRef;
      seen.set(v, path);
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const data = v as Bulk;
      const type = data.constructor.name as BulkType;
      if (!(type in constructors)) throw new TypeError(`Cannot store a ${type} at ${path}`);
      const perPart = Math.max(1, Math.floor(partBytes / data.BYTES_PER_ELEMENT));
      found.push({ path, data, perPart });
      const ref: BulkRef = { $bulk: path, type, length: data.length, parts: Math.ceil(data.length / perPart) };
      return ref;
    }
    if (Array.isArray(v)) return v.map((x, k) => walk(x, `${path}.${k}`));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
    }
    return v;
  };
  const shell = walk(value, '');
  function* parts(): Generator<BulkPart> {
    for (const { path, data, perPart } of found) {
      // slice, not subarray: structured clone would copy a view's whole buffer.
      for (let part = 0; part * perPart < data.length; part++) {
        yield { path, part, data: data.slice(part * perPart, (part + 1) * perPart) };
      }
    }
  }
  return { shell, parts };
}

/** Puts the parts back where the shell's references are. */
export function joinBulk(shell: unknown, parts: BulkPart[]): unknown {
  const byPath = new Map<string, BulkPart[]>();
  for (const p of parts) {
    const list = byPath.get(p.path) ?? [];
    list.push(p);
    byPath.set(p.path, list);
  }
  const wanted = new Set<string>();
  const collect = (v: unknown): void => {
    if (isSame(v)) wanted.add(v.$same);
    else if (v !== null && typeof v === 'object' && !isRef(v)) Object.values(v).forEach(collect);
  };
  collect(shell);
  const built = new Map<string, unknown>();
  const later: { path: string; set: (value: unknown) => void }[] = [];
  const walk = (v: unknown, path: string): unknown => {
    const out = build(v, path);
    if (wanted.has(path)) built.set(path, out);
    return out;
  };
  const build = (v: unknown, path: string): unknown => {
    if (isRef(v)) {
      const pieces = (byPath.get(v.$bulk) ?? []).sort((a, b) => a.part - b.part);
      if (pieces.length !== v.parts) throw new Error(`Stored array ${v.$bulk} has ${pieces.length} of ${v.parts} parts`);
      const out = new constructors[v.type](v.length);
      let at = 0;
      for (const p of pieces) {
        out.set(p.data as never, at);
        at += p.data.length;
      }
      if (at !== v.length) throw new Error(`Stored array ${v.$bulk} has ${at} of ${v.length} values`);
      return out;
    }
    if (Array.isArray(v)) {
      const list = v.map((x, k) => walk(x, `${path}.${k}`));
      v.forEach((x, k) => isSame(x) && later.push({ path: x.$same, set: (value) => (list[k] = value) }));
      return list;
    }
    if (v !== null && typeof v === 'object') {
      const object = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
      for (const [k, x] of Object.entries(v)) if (isSame(x)) later.push({ path: x.$same, set: (value) => (object[k] = value) });
      return object;
    }
    return v;
  };
  const value = walk(shell, '');
  for (const { path, set } of later) {
    if (!built.has(path)) throw new Error(`Stored value refers to ${path}, which is missing`);
    set(built.get(path));
  }
  return value;
}

function isSame(v: unknown): v is SameRef {
  return v !== null && typeof v === 'object' && typeof (v as SameRef).$same === 'string';
}

function isRef(v: unknown): v is BulkRef {
  return v !== null && typeof v === 'object' && typeof (v as BulkRef).$bulk === 'string';
}
