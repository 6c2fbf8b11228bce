// Demo usage: plausible daily metered usage of an Azure subscription, the same on every run. Each meter follows a
// profile (virtual machines running around the clock with more during working days, storage that grows over the
// year, bandwidth that follows the week), varied by a pseudo-random generator seeded from the subscription's
// name and the meter: no Math.random, so the demo's amounts are reproducible and a test can rely on them.

export interface GeneratedUsage {
  clientRecordId: string;
  subscriptionId: string;
  meterId: string;
  /** 'YYYY-MM-DD'. */
  usageDate: string;
  /** An exact decimal with at most 6 decimals. */
  quantity: string;
}

export interface UsageSubscription {
  id: string;
  /** What seeds its numbers: the same name gives the same usage. */
  seed: string;
  meterIds: readonly string[];
  /** Inclusive UTC days. */
  from: string;
  to: string;
  /** Scales every profile (2: twice the machines, storage and traffic). */
  scale?: number;
}

/** mulberry32: a small, fast 32-bit generator; numbers in [0, 1). */
export function seededRandom(seed: string): () => number {
  // FNV-1a of the seed text as the state.
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;

interface Day {
  iso: string;
  weekend: boolean;
  daysInMonth: number;
  /** 0 on the first day generated, 1 on the last. */
  progress: number;
}

/** Units of a meter on a day, before rounding to 6 decimals. */
type Profile = (day: Day, random: () => number, scale: number) => number;

const between = (random: () => number, low: number, high: number) => low + (high - low) * random();

const PROFILES: Record<string, Profile> = {
  // Three D2s v5 machines around the clock, a fourth for about ten hours on working days.
  'VM-D2S-V5': (d, r, s) => s * (72 + (d.weekend ? 0 : between(r, 8, 12))),
  // A small burstable machine, switched off for maintenance now and then.
  'VM-B2S': (d, r, s) => s * (r() < 0.04 ? between(r, 12, 20) : 24),
  // Hot storage growing from 400 to 1,200 GB over the period, billed per GB-month: a day is 1/days of a month.
  'STORAGE-HOT-LRS': (d, r, s) => (s * (400 + 800 * d.progress) * between(r, 0.99, 1.01)) / d.daysInMonth,
  // An archive that only grows: 2 to 5 TB.
  'STORAGE-ARCHIVE': (d, r, s) => (s * (2000 + 3000 * d.progress)) / d.daysInMonth,
  // Traffic out to the internet, lower at weekends.
  'BANDWIDTH-OUT': (d, r, s) => s * (d.weekend ? between(r, 3, 8) : between(r, 12, 28)),
  // A single S0 database, a day a day.
  'SQL-DB-S0': (_d, _r, s) => s,
};

const ANY_METER: Profile = (_d, r, s) => s * between(r, 1, 3);

/** At most 6 decimals, trailing zeros dropped. */
function quantityText(value: number): string {
  return value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** Every day from `from` to `to` (inclusive), every meter: one record each, in day order. */
export function generateUsage(sub: UsageSubscription): GeneratedUsage[] {
  const start = Date.parse(`${sub.from}T00:00:00Z`);
  const end = Date.parse(`${sub.to}T00:00:00Z`);
  const span = Math.max(1, (end - start) / DAY_MS);
  const scale = sub.scale ?? 1;
  const randoms = new Map(sub.meterIds.map((m) => [m, seededRandom(`${sub.seed}|${m}`)]));
  const out: GeneratedUsage[] = [];
  for (let at = start; at <= end; at += DAY_MS) {
    const date = new Date(at);
    const day: Day = {
      iso: date.toISOString().slice(0, 10),
      weekend: date.getUTCDay() === 0 || date.getUTCDay() === 6,
      daysInMonth: new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate(),
      progress: (at - start) / DAY_MS / span,
    };
    for (const meterId of sub.meterIds) {
      const quantity = (PROFILES[meterId] ?? ANY_METER)(day, randoms.get(meterId)!, scale);
      out.push({
        clientRecordId: `demo:${sub.id}:${meterId}:${day.iso}`,
        subscriptionId: sub.id,
        meterId,
        usageDate: day.iso,
        quantity: quantityText(Math.max(0, quantity)),
      });
    }
  }
  return out;
}
