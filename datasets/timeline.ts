// Timestamps: the cloud period spans 2022, the device period February to April 2023, so every
// device-period click is later than every cloud-period click, for every user.
import { randomInt, type Rng } from '../src/random.ts';
import type { SimulatedUser } from './simulate.ts';

export const CLOUD_START = Date.UTC(2022, 0, 1) / 1000;
export const CLOUD_END = Date.UTC(2023, 0, 1) / 1000;
export const DEVICE_START = Date.UTC(2023, 1, 1) / 1000;
export const DEVICE_END = Date.UTC(2023, 3, 30) / 1000;

export interface TimedInteraction {
  item: number;
  timestamp: number;
}

/** The user's clicks in time order, cloud period then device period, strictly increasing. */
export function timeUser(rng: Rng, user: SimulatedUser): TimedInteraction[] {
  // Each user joins at some point in the first third of the cloud window.
  const cloudFrom = CLOUD_START + randomInt(rng, Math.floor((CLOUD_END - CLOUD_START) / 3));
  const timed = timeSessions(rng, user.cloudSessions, cloudFrom, CLOUD_END, []);
  return timeSessions(rng, user.deviceSessions, DEVICE_START, DEVICE_END, timed);
}

function timeSessions(rng: Rng, sessions: number[][], from: number, to: number, out: TimedInteraction[]): TimedInteraction[] {
  // Session starts: sorted uniform draws, leaving a day at the end for the session itself.
  const starts = sessions.map(() => from + randomInt(rng, to - from - 86_400)).sort((a, b) => a - b);
  let previous = out.length > 0 ? out[out.length - 1].timestamp : 0;
  sessions.forEach((session, s) => {
    let t = starts[s];
    for (const item of session) {
      t = Math.max(t, previous + 1);
      out.push({ item, timestamp: t });
      previous = t;
      t += 120 + randomInt(rng, 1680); // 2 to 30 minutes between clicks in a session
    }
  });
  return out;
}
