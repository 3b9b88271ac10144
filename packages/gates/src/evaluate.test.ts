import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideGates, evaluateGates } from './evaluate.js';
import type { GateFacts } from './facts.js';
import { autoFactsAt, DIGEST, factsAt, OTHER_DIGEST } from './facts.test-support.js';
import type { Gate } from './gate-schema.js';
import { gatesSchema, parseGates } from './gate-schema.js';

const KEY = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';
const SIX = [
  { kind: 'soak', duration: '2h' },
  { kind: 'approval', count: 2, roles: ['admin'] },
  { kind: 'window', timeZone: 'Europe/Paris', allow: [{ days: 'mon-fri', from: '09:00', to: '17:00' }] },
  { kind: 'commit', ticket: '[A-Z]+-\\d+' },
  { kind: 'branch', branches: 'main' },
  { kind: 'signature', keys: [{ id: 'release', publicKey: KEY }] },
];

describe('evaluating a phase’s gates', () => {
  it('GIVEN six gates WHEN evaluated THEN there is one verdict per gate, in their order', () => {
    const verdicts = evaluateGates(parseGates(SIX), factsAt('2025-12-03T10:00:00Z'));
    expect(verdicts.map((v) => [v.gate, v.kind])).toEqual(SIX.map((g) => [g.kind, g.kind]));
  });

  it('GIVEN gates read back from JSON (not from a parse) WHEN evaluated THEN the verdicts are the same', () => {
    const gates = parseGates(SIX);
    const copies = JSON.parse(JSON.stringify(gates)) as Gate[];
    const facts = factsAt('2025-12-05T17:30:00Z', {
      approvals: [{ by: 'alice', role: 'admin', at: '2025-12-05T17:00:00Z', decision: 'approve', digest: DIGEST }],
    });
    expect(evaluateGates(copies, facts)).toEqual(evaluateGates(gates, facts));
  });

  it('GIVEN raw configuration (not parsed: durations as text, no names) WHEN evaluated THEN it is read as parsed', () => {
    const raw = SIX as unknown as Gate[];
    const facts = factsAt('2025-12-05T17:30:00Z', {
      upstreams: [{ phase: 'staging', state: 'verified', verifiedAt: '2025-12-05T17:00:00Z' }],
    });
    const verdicts = evaluateGates(raw, facts);
    expect(verdicts).toEqual(evaluateGates(parseGates(SIX), facts));
    expect(verdicts[0]).toMatchObject({ gate: 'soak', outcome: 'wait', changesAt: '2025-12-05T19:00:00.000Z' });
  });

  it('GIVEN a hand-made gate that is not valid WHEN evaluated THEN it blocks, naming the problem, and throws nothing', () => {
    const bad = {
      kind: 'window',
      name: 'w',
      timeZone: 'Mars/Olympus',
      allow: [],
      deny: [],
      freezes: [],
    } as unknown as Gate;
    const [v] = evaluateGates([bad], factsAt('2025-12-05T12:00:00Z'));
    expect(v).toMatchObject({ gate: 'w', kind: 'window', outcome: 'block' });
    expect(v?.reason).toMatch(/^the gate's definition is invalid: \[timeZone\] unknown time zone "Mars\/Olympus"/);
    expect(v?.evidence.notEvaluated).toBe(v?.reason);
  });

  it('GIVEN a clock that is not a date WHEN evaluated THEN every gate blocks: nothing passes without a time', () => {
    const verdicts = evaluateGates(parseGates(SIX), { ...factsAt('2025-12-05T12:00:00Z'), now: new Date('nope') });
    expect(verdicts.map((v) => v.outcome)).toEqual(['block', 'block', 'block', 'block', 'block', 'block']);
  });
});

// ---- property: any valid gates and any facts ----

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns'];
const TIMES = ['00:00', '02:30', '06:00', '09:00', '12:15', '17:00', '22:00', '24:00'];
const RULES = [
  'FREQ=WEEKLY;BYDAY=FR;BYHOUR=18',
  'FREQ=DAILY;BYHOUR=2;BYMINUTE=30',
  'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=12',
  'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24',
  'FREQ=HOURLY;INTERVAL=6',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH',
];
const NAMES = ['alice', 'bob', 'carol', 'policy'];
const instant = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') });
const iso = instant.map((t) => new Date(t).toISOString());

const period = fc.oneof(
  fc.record({
    days: fc.subarray(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { minLength: 1 }),
    from: fc.constantFrom(...TIMES.slice(0, -1)),
    to: fc.constantFrom(...TIMES),
  }),
  fc.record({
    rrule: fc.constantFrom(...RULES),
    duration: fc.constantFrom('30m', '4h', '63h'),
    start: fc.constantFrom('2019-03-01T09:00', '2024-10-27T02:30'),
  }),
);
const freeze = fc
  .record({ start: instant, hours: fc.integer({ min: 1, max: 24 * 40 }), local: fc.boolean() })
  .map(({ start, hours, local }) => ({
    reason: 'freeze',
    start: local ? new Date(start).toISOString().slice(0, 16) : new Date(start).toISOString(),
    end: new Date(start + hours * 3_600_000).toISOString(),
  }));
const gateInput = fc.oneof(
  fc.record(
    {
      kind: fc.constant('soak'),
      duration: fc.constantFrom('0s', '30m', '2h', '1d'),
      upstream: fc.constantFrom('staging', 'qa'),
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    {
      kind: fc.constant('approval'),
      count: fc.integer({ min: 1, max: 3 }),
      roles: fc.subarray(['viewer', 'promoter', 'admin'], { minLength: 1 }),
      tokens: fc.subarray(NAMES),
      expiresAfter: fc.constantFrom('1h', '24h'),
    },
    { requiredKeys: ['kind', 'roles'] },
  ),
  fc.record(
    {
      kind: fc.constant('window'),
      timeZone: fc.constantFrom(...ZONES),
      allow: fc.array(period, { maxLength: 2 }),
      deny: fc.array(period, { maxLength: 2 }),
      freezes: fc.array(freeze, { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: ['kind', 'timeZone', 'freezes'] },
  ),
  fc.record(
    {
      kind: fc.constant('commit'),
      skipMarkers: fc.constant(['[skip deploy]']),
      committers: fc.constant(['*@example.com', '/^ci@/']),
      ticket: fc.constantFrom('[A-Z]+-\\d+', '/#\\d+/i'),
    },
    { requiredKeys: ['kind', 'ticket'] },
  ),
  fc.record({
    kind: fc.constant('branch'),
    branches: fc.constantFrom(['main'], ['release/*', '/^hotfix-/']),
    manualOnly: fc.boolean(),
  }),
  fc.record(
    {
      kind: fc.constant('signature'),
      keys: fc.constant([{ id: 'k1', publicKey: KEY }]),
      predicateType: fc.constant('https://slsa.dev/provenance/v1'),
    },
    { requiredKeys: ['kind', 'keys'] },
  ),
);
const gateList = fc.array(gateInput, { maxLength: 6 }).map((gates) => gates.map((g, i) => ({ ...g, name: `g${i}` })));

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const facts: fc.Arbitrary<GateFacts> = fc.record(
  {
    now: instant.map((t) => new Date(t)),
    request: fc.record(
      {
        trigger: fc.constantFrom('person', 'policy', 'webhook', 'schedule'),
        requester: maybe(fc.constantFrom(...NAMES)),
      },
      { requiredKeys: ['trigger'] },
    ),
    version: fc.record({
      digest: fc.constantFrom(DIGEST, OTHER_DIGEST),
      source: maybe(
        fc.record({
          sha: maybe(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 })),
          message: maybe(fc.constantFrom('ABC-1 fix', 'wip [skip deploy]', 'fixes #12', '', 'x'.repeat(70_000))),
          committer: maybe(fc.record({ email: maybe(fc.constantFrom('a@example.com', 'ci@x.test', 'bad')) })),
          branch: maybe(fc.constantFrom('main', 'refs/heads/release/1', 'hotfix-2', '')),
        }),
      ),
    }),
    upstreams: maybe(
      fc.array(
        fc.record(
          {
            phase: fc.constantFrom('staging', 'qa'),
            state: fc.constantFrom('verified', 'pending', 'running', 'failed', 'absent'),
            verifiedAt: maybe(fc.oneof(iso, fc.constant('garbage'))),
            digest: maybe(fc.constantFrom(DIGEST, OTHER_DIGEST)),
          },
          { requiredKeys: ['phase', 'state'] },
        ),
        { maxLength: 3 },
      ),
    ),
    approvals: maybe(
      fc.array(
        fc.record({
          by: fc.constantFrom(...NAMES),
          role: fc.constantFrom('viewer', 'promoter', 'admin', 'owner'),
          at: fc.oneof(iso, fc.constant('n/a')),
          decision: fc.constantFrom('approve', 'reject'),
          digest: fc.constantFrom(DIGEST, OTHER_DIGEST),
        }),
        { maxLength: 5 },
      ),
    ),
    overrides: maybe(
      fc.array(
        fc.record(
          {
            gate: fc.constantFrom('g0', 'g1', 'g2'),
            by: fc.constantFrom(...NAMES),
            role: fc.constantFrom('promoter', 'admin'),
            at: iso,
            reason: fc.constantFrom('', 'hotfix'),
            expiresAt: maybe(iso),
          },
          { requiredKeys: ['gate', 'by', 'role', 'at', 'reason'] },
        ),
        { maxLength: 2 },
      ),
    ),
    signatures: maybe(
      fc.array(
        fc.record(
          {
            verified: fc.boolean(),
            reason: fc.constant('r'),
            keyId: maybe(fc.constantFrom('k1', 'k2')),
            predicateType: maybe(fc.constant('https://slsa.dev/provenance/v1')),
            outcome: maybe(fc.constantFrom('verified', 'refused', 'unavailable')),
            digest: maybe(fc.constantFrom(DIGEST, OTHER_DIGEST)),
          },
          { requiredKeys: ['verified', 'reason'] },
        ),
        { maxLength: 3 },
      ),
    ),
  },
  { requiredKeys: ['now', 'request', 'version'] },
) as fc.Arbitrary<GateFacts>;

describe('evaluation, for any valid gates and facts', () => {
  it('GIVEN any valid gates and facts WHEN evaluated twice THEN the verdicts are equal, complete, and nothing throws', () => {
    fc.assert(
      fc.property(gateList, facts, (inputs, f) => {
        const parsed = gatesSchema.safeParse(inputs);
        fc.pre(parsed.success);
        if (!parsed.success) return;
        const gates = parsed.data;
        const first = evaluateGates(gates, f);
        expect(evaluateGates(gates, f)).toEqual(first);
        expect(evaluateGates(JSON.parse(JSON.stringify(gates)) as Gate[], f)).toEqual(first);
        expect(first).toHaveLength(gates.length);
        // planning's decisions are the verdicts without their words
        expect(decideGates(gates, f)).toEqual(
          first.map((v) => ({ gate: v.gate, kind: v.kind, outcome: v.outcome, changesAt: v.changesAt })),
        );
        // verdicts are plain data: what the store records and the API sends is what was decided
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
        const now = f.now.getTime();
        for (const v of first) {
          // evaluated, not fallen back to a block for a bug
          expect(v.evidence.notEvaluated).toBeUndefined();
          expect(['pass', 'wait', 'block']).toContain(v.outcome);
          expect(v.reason.length).toBeGreaterThan(0);
          expect(v.outcome === 'pass' ? v.unblock === undefined : (v.unblock ?? '').length > 0).toBe(true);
          if (v.changesAt !== undefined) expect(Date.parse(v.changesAt)).toBeGreaterThan(now);
          if (v.outcome === 'block') expect(v.changesAt).toBeUndefined();
        }
      }),
      { numRuns: 300, seed: 424242 },
    );
  }, 30_000);

  it('GIVEN an automatic promotion and no facts beyond the version WHEN evaluated THEN nothing that needs a fact passes', () => {
    const gates = parseGates(SIX);
    const f = autoFactsAt('2025-12-03T10:00:00Z');
    const bare = { ...f, version: { digest: f.version.digest } };
    const outcomes = evaluateGates(gates, bare).map((v) => [v.gate, v.outcome]);
    expect(outcomes).toEqual([
      ['soak', 'block'],
      ['approval', 'wait'],
      ['window', 'pass'],
      ['commit', 'block'],
      ['branch', 'block'],
      ['signature', 'block'],
    ]);
  });
});
