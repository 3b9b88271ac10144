import { z } from 'zod';
import { remember } from './compiled.js';
import { positiveDurationSchema } from './duration-schema.js';
import { gateNameSchema } from './gate-name.js';
import { DEFAULT_RULE_START, parseRecurrence } from './recurrence-parse.js';
import { formatSpan } from './relative-time.js';
import type { CompiledPeriod, CompiledWindow } from './window-calendar.js';
import type { Weekday } from './weekly-schedule.js';
import { compileWeekly, WEEKDAYS } from './weekly-schedule.js';
import { isTimeZone, parseDateTime, parseFloating, zoneOf } from './zone.js';

const TIME_OF_DAY = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function dayOf(text: string): number {
  const t = text.trim().toLowerCase();
  const i = WEEKDAYS.indexOf(t as Weekday);
  return i >= 0 ? i : DAY_NAMES.indexOf(t);
}

/** `mon-fri`, `[mon, wed]`, `[sat, sun]`, `friday`: days of the week, in week order. */
const daysSchema = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((v, ctx) => {
    const set = new Set<number>();
    for (const part of (typeof v === 'string' ? [v] : v).flatMap((p) => p.split(','))) {
      const [from = '', to, extra] = part.split('-');
      const a = dayOf(from);
      const b = to === undefined ? a : dayOf(to);
      if (a < 0 || b < 0 || extra !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part.trim()}" is not a day or a range of days (mon, tue, wed, thu, fri, sat, sun; e.g. mon-fri)`,
          input: v,
        });
        return z.NEVER;
      }
      // a range may wrap the week's end: fri-mon
      for (let d = a; ; d = (d + 1) % 7) {
        set.add(d);
        if (d === b) break;
      }
    }
    return [...set].sort((x, y) => x - y).map((d) => WEEKDAYS[d] as Weekday);
  })
  .describe('Days of the week: mon..sun, ranges such as mon-fri, as a list or comma-separated.');

const timeOfDaySchema = z.string().regex(TIME_OF_DAY, 'a time of day such as 09:00 or 17:30 (24:00 ends the day)');

/**
 * One period of a window: a weekly schedule (`days`, `from`, `to`, wall clock in the
 * gate's time zone) or a recurrence (`rrule`, each occurrence lasting `duration`).
 */
const periodSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional().describe('Shown in verdicts, e.g. "office hours".'),
  days: daysSchema.optional(),
  from: timeOfDaySchema.optional().describe('Start of the time range each day (00:00).'),
  to: timeOfDaySchema.optional().describe('End of the time range (24:00); at or before `from`: the next day.'),
  rrule: z.string().min(1).optional().describe('An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=FR;BYHOUR=18.'),
  start: z
    .string()
    .min(1)
    .optional()
    .describe("The rule's first occurrence, wall clock without offset (2025-01-06T09:00); anchors INTERVAL."),
  duration: positiveDurationSchema.optional().describe('How long each occurrence lasts, on the wall clock, e.g. 4h.'),
});

/** A freeze: no promotion from `start` to `end` (ISO 8601; without offset, in the gate's time zone). */
const freezeSchema = z.strictObject({
  reason: z.string().trim().min(1, 'say why: it is shown to everyone the freeze holds'),
  start: z.string().min(1).describe('When it starts: 2025-12-22T18:00 (gate time zone) or with an offset.'),
  end: z.string().min(1).describe('When it ends (exclusive).'),
});

export type WindowPeriod = z.output<typeof periodSchema>;
export type WindowFreeze = z.output<typeof freezeSchema>;

function daysText(days: readonly Weekday[]): string {
  const idx = days.map((d) => WEEKDAYS.indexOf(d));
  const runs: string[] = [];
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && (idx[j + 1] as number) === (idx[j] as number) + 1) j++;
    runs.push(j - i >= 2 ? `${days[i]}-${days[j]}` : days.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return runs.join(',');
}

/** How a period reads in a verdict: its name, or `mon-fri 09:00-17:00`, or its rule and duration. */
export function periodLabel(p: WindowPeriod): string {
  if (p.name) return p.name;
  if (p.rrule) return `${p.rrule} for ${formatSpan(p.duration?.ms ?? 0)}`;
  return `${daysText(p.days ?? [])} ${p.from ?? '00:00'}-${p.to ?? '24:00'}`;
}

type Issue = (path: (string | number)[], message: string) => void;

function compilePeriod(p: WindowPeriod, path: (string | number)[], issue: Issue): CompiledPeriod | undefined {
  const weekly = p.days !== undefined || p.from !== undefined || p.to !== undefined;
  const recurring = p.rrule !== undefined || p.start !== undefined || p.duration !== undefined;
  if (weekly && recurring) {
    issue(path, 'either a weekly schedule (days, from, to) or a recurrence (rrule, start, duration), not both');
    return undefined;
  }
  if (!weekly && !recurring) {
    issue(path, 'give days (and from/to), or an rrule with a duration');
    return undefined;
  }
  if (weekly) {
    if (!p.days) {
      issue([...path, 'days'], 'which days: e.g. mon-fri or [sat, sun]');
      return undefined;
    }
    const from = p.from ?? '00:00';
    const to = p.to ?? '24:00';
    if (from === to) {
      issue([...path, 'to'], `from and to are both ${from}; leave both out for whole days`);
      return undefined;
    }
    return { label: periodLabel(p), weekly: compileWeekly(p.days, from, to) };
  }
  if (!p.rrule) {
    issue([...path, 'rrule'], 'a recurrence needs an RRULE, e.g. FREQ=WEEKLY;BYDAY=FR;BYHOUR=18');
    return undefined;
  }
  if (!p.duration) {
    issue([...path, 'duration'], 'how long each occurrence lasts, e.g. 4h');
    return undefined;
  }
  const start = p.start === undefined ? DEFAULT_RULE_START : parseFloating(p.start);
  if (start === undefined) {
    issue(
      [...path, 'start'],
      'a wall-clock date-time without offset, e.g. 2025-01-06T09:00 (the time zone is the gate’s)',
    );
    return undefined;
  }
  const r = parseRecurrence(p.rrule, start, p.duration.ms);
  if (!r.ok) {
    issue([...path, 'rrule'], r.message);
    return undefined;
  }
  return { label: periodLabel(p), recurrence: r.value };
}

/**
 * `window`: when promotions may happen, in an IANA time zone. `allow` lists the open
 * periods (none: always open), `deny` periods closed even inside them, `freezes` dated
 * stretches with a reason. An admin may override a closed window with a reason.
 */
export const windowGateSchema = z
  .strictObject({
    kind: z.literal('window'),
    name: gateNameSchema.optional(),
    timeZone: z
      .string()
      .min(1)
      .refine(isTimeZone, {
        error: (i) => `unknown time zone "${String(i.input)}"; use an IANA name such as Europe/Paris or UTC`,
      })
      .describe('IANA time zone of every time in the gate, e.g. Europe/Paris.'),
    allow: z.array(periodSchema).default([]).describe('Periods promotions may happen in (none: any time).'),
    deny: z.array(periodSchema).default([]).describe('Periods no promotion may happen in, even when allowed.'),
    freezes: z.array(freezeSchema).default([]).describe('Dated freezes, each with a reason.'),
  })
  .transform((g, ctx) => {
    let problems = 0;
    const issue: Issue = (path, message) => {
      problems++;
      ctx.addIssue({ code: 'custom', path, message, input: g });
    };
    if (g.allow.length === 0 && g.deny.length === 0 && g.freezes.length === 0) {
      issue([], 'a window needs allow, deny or freezes');
    }
    const allow = g.allow.map((p, i) => compilePeriod(p, ['allow', i], issue));
    const deny = g.deny.map((p, i) => compilePeriod(p, ['deny', i], issue));
    const freezes = g.freezes.map((f, i) => {
      const start = parseDateTime(f.start, g.timeZone);
      const end = parseDateTime(f.end, g.timeZone);
      const bad = 'an ISO 8601 date-time such as 2025-12-22T18:00 (gate time zone) or 2025-12-22T17:00Z';
      if (start === undefined) issue(['freezes', i, 'start'], bad);
      if (end === undefined) issue(['freezes', i, 'end'], bad);
      else if (start !== undefined && end <= start) issue(['freezes', i, 'end'], 'the freeze ends before it starts');
      return { reason: f.reason, start: start ?? 0, end: end ?? 0 };
    });
    if (problems > 0) return z.NEVER;
    const compiled: CompiledWindow = {
      zone: zoneOf(g.timeZone),
      allow: allow as CompiledPeriod[],
      deny: deny as CompiledPeriod[],
      freezes,
    };
    return remember({ ...g, name: g.name ?? 'window' }, compiled);
  });

export type WindowGateInput = z.input<typeof windowGateSchema>;
export type WindowGate = z.output<typeof windowGateSchema>;
