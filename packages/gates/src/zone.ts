import { createRequire } from 'node:module';
import type * as Luxon from 'luxon';
import { formatSpan } from './relative-time.js';

let loadedLuxon: typeof Luxon | undefined;
/** luxon, loaded the first time a zone or a date-time is read: a configuration without window gates never loads it. */
const luxon = (): typeof Luxon => {
  loadedLuxon ??= createRequire(import.meta.url)('luxon') as typeof Luxon;
  return loadedLuxon;
};

/**
 * An IANA time zone as the window gate uses it. Times of day in a window are "floating":
 * the wall-clock time in the zone written as if it were UTC milliseconds, so that a
 * schedule's 09:00 is 09:00 on the wall across DST changes. Real instants are epoch ms.
 */
export interface Zone {
  readonly name: string;
  /** The zone's offset from UTC at a real instant, in ms. */
  offsetAt(instant: number): number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Offsets remembered per zone: planning many phases at one `now` asks the same instants. */
const OFFSET_CACHE_SIZE = 4096;
const zones = new Map<string, Zone>();

/** Whether luxon (through Intl) knows `name` as an IANA zone, e.g. `Europe/Paris`, `UTC`. */
export function isTimeZone(name: string): boolean {
  return luxon().IANAZone.isValidZone(name);
}

/** The zone named `name`, created once. Call only with a name `isTimeZone` accepts. */
export function zoneOf(name: string): Zone {
  const known = zones.get(name);
  if (known) return known;
  const iana = luxon().IANAZone.create(name);
  const cache = new Map<number, number>();
  const zone: Zone = {
    name,
    offsetAt(instant) {
      const hit = cache.get(instant);
      if (hit !== undefined) return hit;
      if (cache.size >= OFFSET_CACHE_SIZE) cache.clear();
      const offset = iana.offset(instant) * MINUTE;
      cache.set(instant, offset);
      return offset;
    },
  };
  zones.set(name, zone);
  return zone;
}

/** The wall-clock time in `zone` at `instant`, as floating ms. */
export function toFloating(zone: Zone, instant: number): number {
  return instant + zone.offsetAt(instant);
}

/**
 * The first real instant after `after` at which the wall clock in `zone` reads `floating`.
 * On a fall-back night a wall-clock time happens twice: the first one after `after` is
 * taken. A time that never happens (in a spring-forward gap) maps to the DST change
 * itself: the first instant the wall clock reads later than it.
 */
export function fromFloating(zone: Zone, floating: number, after: number): number | undefined {
  // offsets a day before and after: DST changes are months apart, so these are the two
  // offsets around any change near `floating`
  const before = zone.offsetAt(floating - DAY);
  const later = zone.offsetAt(floating + DAY);
  const a = floating - before;
  const b = floating - later;
  const aValid = zone.offsetAt(a) === before;
  const bValid = zone.offsetAt(b) === later;
  if (!aValid && !bValid) {
    const change = nextOffsetChange(zone, Math.min(a, b), Math.max(a, b)) ?? Math.max(a, b);
    return change > after ? change : undefined;
  }
  const first = Math.min(aValid ? a : Number.POSITIVE_INFINITY, bValid ? b : Number.POSITIVE_INFINITY);
  const second = Math.max(aValid ? a : Number.NEGATIVE_INFINITY, bValid ? b : Number.NEGATIVE_INFINITY);
  if (first > after) return first;
  if (second > after) return second;
  return undefined;
}

/** Spans longer than this are sampled, so no two DST changes hide between two samples. */
const SAMPLE = 60 * DAY;

/**
 * The first instant in (from, to] at which the zone's offset changes (a DST change), to
 * the minute, or undefined. Zones change offsets on whole minutes.
 */
export function nextOffsetChange(zone: Zone, from: number, to: number): number | undefined {
  const start = zone.offsetAt(from);
  let lo = from;
  let hi = to;
  if (zone.offsetAt(hi) === start) {
    // the same offset at both ends may still hide a change and its way back
    let found = false;
    for (let t = from + SAMPLE; t < to; t += SAMPLE) {
      if (zone.offsetAt(t) !== start) {
        hi = t;
        found = true;
        break;
      }
      lo = t;
    }
    if (!found) return undefined;
  }
  // minute indices: lo keeps the starting offset, hi has another
  let loM = Math.floor(lo / MINUTE);
  let hiM = Math.ceil(hi / MINUTE);
  if (zone.offsetAt(hiM * MINUTE) === start) return undefined;
  while (hiM - loM > 1) {
    const mid = Math.floor((loM + hiM) / 2);
    if (zone.offsetAt(mid * MINUTE) === start) loM = mid;
    else hiM = mid;
  }
  const change = hiM * MINUTE;
  return change > from ? change : undefined;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * The wall clock at `instant` in `zone` as text, from the zone's (cached) offset and plain
 * UTC arithmetic: verdicts are built for every phase of a plan, and luxon's formatting
 * costs more than the rest of an evaluation.
 */
function wallText(zone: Zone, instant: number, date: 'none' | 'day' | 'year'): { text: string; year: number } {
  const d = new Date(toFloating(zone, instant));
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  const day = DAY_NAMES[d.getUTCDay()] as string;
  const year = d.getUTCFullYear();
  if (date === 'none') return { text: `${day} ${time}`, year };
  const dm = `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]}`;
  return { text: date === 'day' ? `${day} ${dm} ${time}` : `${day} ${dm} ${year} ${time}`, year };
}

/**
 * `Mon 09:00 Europe/Paris`, with the date when it is six days or more away, and how far:
 * `Mon 09:00 Europe/Paris (in 14h)`.
 */
export function formatInstant(zone: Zone, instant: number, now: number): string {
  const distance = instant - now;
  let text: string;
  if (Math.abs(distance) < 6 * DAY) text = wallText(zone, instant, 'none').text;
  else {
    const sameYear = wallText(zone, instant, 'day');
    text = sameYear.year === wallText(zone, now, 'none').year ? sameYear.text : wallText(zone, instant, 'year').text;
  }
  const when = distance > 0 ? `in ${formatSpan(distance)}` : `${formatSpan(-distance)} ago`;
  return `${text} ${zone.name} (${when})`;
}

/** `Fri 5 Dec 2025 18:30` in the zone: the wall clock a reason quotes. */
export function formatWallClock(zone: Zone, instant: number): string {
  return wallText(zone, instant, 'year').text;
}

/**
 * A date-time from a gate definition: ISO 8601 with an offset (`2025-12-24T00:00+01:00`,
 * `...Z`) is that instant; without one (`2025-12-24T00:00`, `2025-12-24`) it is wall-clock
 * time in `zone`. Returns epoch ms, or undefined when it is not such a date-time.
 */
export function parseDateTime(text: string, zone: string): number | undefined {
  const dt = luxon().DateTime.fromISO(text, { zone });
  return dt.isValid ? dt.toMillis() : undefined;
}

/**
 * A wall-clock date-time without offset (`2025-01-06T09:00`, `2025-01-06`) as floating
 * ms, or undefined. Used for a recurrence's start, which is wall-clock by definition.
 */
export function parseFloating(text: string): number | undefined {
  if (/(Z|[+-]\d\d(:?\d\d)?)$/i.test(text) && text.includes('T')) return undefined;
  const dt = luxon().DateTime.fromISO(text, { zone: 'UTC' });
  return dt.isValid ? dt.toMillis() : undefined;
}
