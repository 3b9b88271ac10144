import { ValidationError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gateSchema, gatesSchema, parseGate, parseGates } from './gate-schema.js';

const KEY = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';

function messages(input: unknown): string {
  try {
    parseGates(input, ['gates']);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).message;
  }
  throw new Error('expected the gates to be refused');
}

describe('gate definitions', () => {
  it('GIVEN one gate of each kind WHEN parsed THEN defaults are filled in and each is named after its kind', () => {
    const gates = parseGates([
      { kind: 'soak', duration: '2h' },
      { kind: 'approval', roles: ['admin'] },
      { kind: 'window', timeZone: 'Europe/Paris', allow: [{ days: 'mon-fri', from: '09:00', to: '17:00' }] },
      { kind: 'commit', ticket: '[A-Z]+-\\d+' },
      { kind: 'branch', branches: 'main' },
      { kind: 'signature', keys: [{ id: 'release', publicKey: KEY }] },
    ]);
    expect(gates.map((g) => g.name)).toEqual(['soak', 'approval', 'window', 'commit', 'branch', 'signature']);
    expect(gates[0]).toEqual({ kind: 'soak', name: 'soak', duration: { ms: 7_200_000 } });
    expect(gates[1]).toEqual({ kind: 'approval', name: 'approval', count: 1, roles: ['admin'], tokens: [] });
    expect(gates[2]).toMatchObject({
      allow: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
      deny: [],
      freezes: [],
    });
    expect(gates[3]).toMatchObject({ skipMarkers: [], committers: [], identity: 'committer' });
    expect(gates[4]).toEqual({ kind: 'branch', name: 'branch', branches: ['main'], manualOnly: false });
  });

  it('GIVEN a parsed gate WHEN serialized and parsed again THEN it is the same plain data', () => {
    const gates = parseGates([
      { kind: 'soak' },
      { kind: 'approval', count: 2, roles: ['promoter'], tokens: ['alice'], expiresAfter: '24h' },
      {
        kind: 'window',
        name: 'office',
        timeZone: 'America/New_York',
        allow: [
          { days: ['sat', 'sun'] },
          { rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=9', duration: '4h', start: '2025-01-03' },
        ],
        deny: [{ name: 'nights', days: 'mon-sun', from: '22:00', to: '06:00' }],
        freezes: [{ reason: 'year end', start: '2025-12-20', end: '2026-01-05T09:00' }],
      },
      { kind: 'commit', skipMarkers: '[skip deploy]', committers: ['*@example.com'], identity: 'author' },
      { kind: 'branch', branches: ['main', 'release/*', '/^hotfix-\\d+$/'], manualOnly: true },
      { kind: 'signature', keys: [{ id: 'k', publicKey: KEY }], predicateType: 'https://slsa.dev/provenance/v1' },
    ]);
    const json = JSON.parse(JSON.stringify(gates));
    expect(json).toEqual(gates);
    expect(parseGates(json)).toEqual(gates);
  });

  it('GIVEN an unknown time zone WHEN parsed THEN the field is named', () => {
    expect(messages([{ kind: 'window', timeZone: 'Europe/Atlantis', allow: [{ days: 'mon' }] }])).toMatch(
      /\[gates\.0\.timeZone\] unknown time zone "Europe\/Atlantis"/,
    );
  });

  it('GIVEN malformed recurrence rules WHEN parsed THEN each is refused at its rrule field', () => {
    const rule = (rrule: string) => messages([{ kind: 'window', timeZone: 'UTC', deny: [{ rrule, duration: '1h' }] }]);
    expect(rule('FREQ=SOMETIMES')).toMatch(/\[gates\.0\.deny\.0\.rrule\] .*FREQ is missing|not an RFC 5545/);
    expect(rule('BYDAY=MO')).toMatch(/\[gates\.0\.deny\.0\.rrule\] FREQ is missing/);
    expect(rule('FREQ=DAILY;BYHOUR=25')).toMatch(/BYHOUR must be between 0 and 23/);
    expect(rule('FREQ=WEEKLY;BYDAY=XX')).toMatch(/BYDAY must list MO/);
    expect(rule('FREQ=DAILY;NOPE=1')).toMatch(/not an RFC 5545 recurrence rule: Unknown RRULE property 'NOPE'/);
    expect(rule('FREQ=MINUTELY')).toMatch(/hourly at most often/);
    expect(rule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30')).toMatch(/no occurrence within 10 years/);
    expect(rule('DTSTART:20250101T000000\nRRULE:FREQ=DAILY')).toMatch(/put the first occurrence in `start`/);
    expect(rule('FREQ=DAILY;INTERVAL=0')).toMatch(/INTERVAL must be 1 or more/);
    expect(rule('FREQ=DAILY;TZID=Europe/Paris')).toMatch(/TZID is not used here|not an RFC 5545/);
  });

  it('GIVEN periods that mix or lack their parts WHEN parsed THEN the part is named', () => {
    const period = (p: object) => messages([{ kind: 'window', timeZone: 'UTC', allow: [p] }]);
    expect(period({ days: 'mon', rrule: 'FREQ=DAILY', duration: '1h' })).toMatch(/\[gates\.0\.allow\.0\] either/);
    expect(period({ rrule: 'FREQ=DAILY' })).toMatch(/\[gates\.0\.allow\.0\.duration\] how long/);
    expect(period({ from: '09:00' })).toMatch(/\[gates\.0\.allow\.0\.days\] which days/);
    expect(period({ days: 'mon-frj' })).toMatch(/\[gates\.0\.allow\.0\.days\] "mon-frj" is not a day/);
    expect(period({ days: 'mon', from: '9:00' })).toMatch(/\[gates\.0\.allow\.0\.from\] a time of day/);
    expect(period({ days: 'mon', from: '09:00', to: '09:00' })).toMatch(/\[gates\.0\.allow\.0\.to\] from and to/);
    expect(period({ rrule: 'FREQ=DAILY', duration: '0s' })).toMatch(
      /\[gates\.0\.allow\.0\.duration\] a duration longer/,
    );
    expect(period({ rrule: 'FREQ=DAILY', duration: '1h', start: '2025-01-01T09:00+02:00' })).toMatch(
      /\[gates\.0\.allow\.0\.start\] a wall-clock date-time without offset/,
    );
    expect(messages([{ kind: 'window', timeZone: 'UTC' }])).toMatch(
      /\[gates\.0\] a window needs allow, deny or freezes/,
    );
  });

  it('GIVEN day ranges WHEN parsed THEN they become days in week order, also across the week end', () => {
    const days = (d: unknown) => {
      const g = parseGate({ kind: 'window', timeZone: 'UTC', allow: [{ days: d }] });
      return g.kind === 'window' ? g.allow[0]?.days : undefined;
    };
    expect(days('fri-mon')).toEqual(['mon', 'fri', 'sat', 'sun']);
    expect(days(['Saturday', 'sun', 'wed'])).toEqual(['wed', 'sat', 'sun']);
    expect(days('mon,wed-thu')).toEqual(['mon', 'wed', 'thu']);
  });

  it('GIVEN bad freezes WHEN parsed THEN the reason, start or end is named', () => {
    const freeze = (f: object) => messages([{ kind: 'window', timeZone: 'UTC', freezes: [f] }]);
    expect(freeze({ reason: ' ', start: '2025-12-20', end: '2025-12-27' })).toMatch(
      /\[gates\.0\.freezes\.0\.reason\] say why/,
    );
    expect(freeze({ reason: 'x', start: 'next week', end: '2025-12-27' })).toMatch(
      /\[gates\.0\.freezes\.0\.start\] an ISO 8601 date-time/,
    );
    expect(freeze({ reason: 'x', start: '2025-12-27', end: '2025-12-20' })).toMatch(
      /\[gates\.0\.freezes\.0\.end\] the freeze ends before it starts/,
    );
    expect(freeze({ reason: 'x', start: '2025-12-20' })).toMatch(/\[gates\.0\.freezes\.0\.end\]/);
  });

  it('GIVEN approvals that can never be given WHEN parsed THEN count, roles or tokens are named', () => {
    expect(messages([{ kind: 'approval', count: 0, roles: ['admin'] }])).toMatch(
      /\[gates\.0\.count\] at least 1 approval/,
    );
    expect(messages([{ kind: 'approval', roles: ['owner'] }])).toMatch(
      /\[gates\.0\.roles\.0\] unknown role "owner"; roles are viewer, promoter, admin/,
    );
    expect(messages([{ kind: 'approval', count: 2 }])).toMatch(/\[gates\.0\.roles\] say who may approve/);
    expect(messages([{ kind: 'approval', count: 3, tokens: ['alice', 'bob'] }])).toMatch(
      /\[gates\.0\.count\] 3 approvals can never come from 2 named token holders/,
    );
    expect(messages([{ kind: 'approval', roles: ['admin'], expiresAfter: '0s' }])).toMatch(
      /\[gates\.0\.expiresAfter\]/,
    );
  });

  it('GIVEN bad patterns WHEN parsed THEN the pattern is named', () => {
    expect(messages([{ kind: 'commit', ticket: '[A-Z+-\\d+' }])).toMatch(
      /\[gates\.0\.ticket\] not a valid regular expression/,
    );
    expect(messages([{ kind: 'commit', committers: ['ok@example.com', '/(unclosed/'] }])).toMatch(
      /\[gates\.0\.committers\.1\] not a valid regular expression/,
    );
    expect(messages([{ kind: 'commit', ticket: '/ABC-\\d+/g' }])).toMatch(
      /\[gates\.0\.ticket\] flags "g" are not allowed/,
    );
    expect(messages([{ kind: 'commit', ticket: 'ABC-\\d+', ticketExample: 'XYZ-1' }])).toMatch(
      /\[gates\.0\.ticketExample\] "XYZ-1" does not match/,
    );
    expect(messages([{ kind: 'commit' }])).toMatch(/\[gates\.0\] give at least one rule/);
    expect(messages([{ kind: 'branch', branches: ['main', '/[/'] }])).toMatch(/\[gates\.0\.branches\.1\] not a valid/);
    expect(messages([{ kind: 'branch', branches: [] }])).toMatch(/\[gates\.0\.branches\]/);
  });

  it('GIVEN signature gates without keys, with a non-PEM key or a key id twice WHEN parsed THEN the field is named', () => {
    expect(messages([{ kind: 'signature', keys: [] }])).toMatch(/\[gates\.0\.keys\] at least one public key/);
    expect(messages([{ kind: 'signature', keys: [{ id: 'k', publicKey: 'ssh-ed25519 AAAA' }] }])).toMatch(
      /\[gates\.0\.keys\.0\.publicKey\] a PEM public key/,
    );
    expect(
      messages([
        {
          kind: 'signature',
          keys: [
            { id: 'k', publicKey: KEY },
            { id: 'k', publicKey: KEY },
          ],
        },
      ]),
    ).toMatch(/\[gates\.0\.keys\.1\.id\] key id "k" is already used by key 0/);
  });

  it('GIVEN two gates of one kind without names WHEN parsed THEN the second is refused; named, both are kept', () => {
    expect(messages([{ kind: 'soak' }, { kind: 'soak', duration: '1h' }])).toMatch(
      /\[gates\.1\.name\] gate name "soak" is already used by gate 0/,
    );
    expect(parseGates([{ kind: 'soak' }, { kind: 'soak', name: 'long soak', duration: '1h' }])).toHaveLength(2);
  });

  it('GIVEN an unknown kind or field WHEN parsed THEN it is named', () => {
    expect(messages([{ kind: 'vibes' }])).toMatch(/\[gates\.0\.kind\]/);
    expect(messages([{ kind: 'soak', duraton: '1h' }])).toMatch(/\[gates\.0\] Unrecognized key: "duraton"/);
  });

  it('GIVEN the schema WHEN exported as JSON schema for gantry.yaml THEN inputs are described', () => {
    const json = JSON.stringify(z.toJSONSchema(gatesSchema, { io: 'input' }));
    expect(json).toContain('"const":"window"');
    expect(json).toContain('IANA time zone');
    expect(gateSchema.safeParse({ kind: 'branch', branches: 'main' }).success).toBe(true);
  });
});
