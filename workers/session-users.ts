// Test users for the device session, read from a dataset's histories (or, for the DUET
// text format which has samples only, from each user's first device-period sample).
import { readRows } from '../src/data/samples';
import type { Dataset } from '../src/data/types';
import type { SessionUser } from './api';

export function sessionUsers(d: Dataset, limit: number): SessionUser[] {
  return d.histories ? fromHistories(d, limit) : fromSamples(d, limit);
}

function fromHistories(d: Dataset, limit: number): SessionUser[] {
  const h = d.histories!;
  const users: SessionUser[] = [];
  const count = h.offsets.length - 1;
  for (let u = 0; u < count && users.length < limit; u++) {
    const start = h.offsets[u];
    const deviceStart = h.devicePeriodStart[u];
    const end = h.offsets[u + 1];
    if (deviceStart >= end) continue;
    users.push({
      index: u,
      sourceId: h.sourceIds[u] ?? String(u),
      history: h.items.slice(Math.max(start, deviceStart - d.options.seqLen), deviceStart),
      deviceClicks: h.items.slice(deviceStart, end),
    });
  }
  return users;
}

function fromSamples(d: Dataset, limit: number): SessionUser[] {
  const t = d.test;
  const seen = new Set<number>();
  const users: SessionUser[] = [];
  for (let i = 0; i < t.count && users.length < limit; i++) {
    const u = t.user[i];
    if (seen.has(u) || t.label[i] !== 1) continue;
    seen.add(u);
    const { click: seq, trigger } = readRows(t, [i]);
    users.push({ index: u, sourceId: String(u), history: seq.filter((x) => x > 0), deviceClicks: trigger.filter((x) => x > 0) });
  }
  return users;
}
