import { describe, expect, it } from 'vitest';
import type { VerdictView } from './verdict-view.js';
import { evidenceLine } from './verdict-view.js';
import type { WhyView } from './why-view.js';
import { formatWhy } from './why-view.js';

const at = '2026-01-02T03:04:05.000Z';

const approval: VerdictView = {
  gate: 'two-admins',
  kind: 'approval',
  outcome: 'wait',
  reason: '1 of 2 approvals: bob (admin)',
  unblock: 'one more approval from role admin (not ann, who requested it)',
  evidence: {
    required: 2,
    eligible: { minRole: 'admin', tokens: [], text: 'role admin' },
    requester: 'ann',
    approvers: [{ by: 'bob', role: 'admin', at, comment: 'looks good' }],
    rejections: [],
    ignored: [
      { by: 'ann', role: 'admin', at, ignored: 'ann requested this promotion' },
      { by: 'pat', role: 'promoter', at, ignored: 'for another version (1a2b3c4d5e6f)' },
    ],
  },
};

const window: VerdictView = {
  gate: 'office-hours',
  kind: 'window',
  outcome: 'block',
  reason: 'closed by freeze: year end',
  unblock: 'the window opens Mon 5 Jan 09:00, or an admin overrides it with a reason',
  evidence: {
    timeZone: 'Europe/Berlin',
    localTime: 'Fri 2 Jan 2026 04:04',
    open: false,
    closedBy: 'freeze',
    freeze: { reason: 'year end', start: '2025-12-20T00:00:00.000Z', end: '2026-01-05T08:00:00.000Z' },
    changesAt: '2026-01-05T08:00:00.000Z',
  },
};

const signature: VerdictView = {
  gate: 'signed',
  kind: 'signature',
  outcome: 'pass',
  reason: 'signature verified with key release',
  evidence: {
    keys: ['release'],
    verifiedBy: 'release',
    results: [{ verified: true, reason: 'valid', keyId: 'release' }],
  },
};

describe('gantry why, as text', () => {
  it('GIVEN gates that wait, block and pass WHEN formatted THEN each says why, what it saw and what unblocks it', () => {
    const why: WhyView = {
      plan: {
        kind: 'promote',
        pipeline: 'app',
        phase: 'production',
        reason: 'staging is at app@bbbb',
        target: { version: 'app@bbbb' },
        current: { version: 'app@aaaa' },
      },
      gates: {
        verdicts: [approval, window, signature],
        summary: { outcome: 'block', reason: 'blocked by office-hours; waiting for two-admins' },
      },
      holds: [
        {
          pipeline: 'app',
          phase: 'production',
          kind: 'pin',
          actor: 'alice',
          reason: 'rollback',
          digest: `sha256:${'c'.repeat(64)}`,
          at,
        },
      ],
      unfinished: [
        {
          id: '0b6f9c55-2d2c-4a53-9b55-6f4f7cbbd1a1',
          state: 'waiting',
          fromVersion: 'app@aaaa',
          toVersion: 'app@bbbb',
          trigger: { kind: 'person', actor: 'ann' },
          createdAt: at,
        },
      ],
    };
    expect(formatWhy(why).split('\n')).toEqual([
      'app/production: app@aaaa -> app@bbbb (staging is at app@bbbb)',
      'gates: blocked by office-hours; waiting for two-admins',
      '  wait  two-admins (approval): 1 of 2 approvals: bob (admin)',
      '        2 needed from role admin; requested by ann; counted: bob (admin): "looks good"; not counted: ann requested this promotion, pat (for another version (1a2b3c4d5e6f))',
      '        to unblock: one more approval from role admin (not ann, who requested it)',
      '  block office-hours (window): closed by freeze: year end',
      '        Fri 2 Jan 2026 04:04 Europe/Berlin: closed by freeze; freeze "year end" 2025-12-20T00:00:00.000Z to 2026-01-05T08:00:00.000Z; opens at 2026-01-05T08:00:00.000Z',
      '        to unblock: the window opens Mon 5 Jan 09:00, or an admin overrides it with a reason',
      '  pass  signed (signature): signature verified with key release',
      '        keys release; release: verified',
      'holds: automation leaves it where it is; a person may still promote',
      `  app/production pinned at ${'c'.repeat(12)} by alice since 2026-01-02 03:04:05: rollback`,
      '        to release: gantry unpin app production',
      'promotions not settled:',
      '  0b6f9c55-2d2c-4a53-9b55-6f4f7cbbd1a1  waiting   app@aaaa -> app@bbbb  by ann at 2026-01-02 03:04:05',
      '',
    ]);
  });

  it('GIVEN a phase in sync with nothing held WHEN formatted THEN it says so in two lines', () => {
    const why: WhyView = {
      plan: { kind: 'in-sync', pipeline: 'app', phase: 'staging', current: { version: 'app@aaaa' } },
      holds: [],
      unfinished: [],
    };
    expect(formatWhy(why)).toBe(
      'app/staging is in sync at app@aaaa: nothing to promote\nholds: none (automation may move it)\n',
    );
  });

  it('GIVEN a gate that could not be evaluated WHEN its evidence is shown THEN it says why, whatever its kind', () => {
    const broken: VerdictView = {
      ...signature,
      outcome: 'block',
      evidence: { keys: [], results: [], notEvaluated: 'the key "release" does not parse' },
    };
    expect(evidenceLine(broken)).toBe('not evaluated: the key "release" does not parse');
  });

  it('GIVEN an approval gate two people rejected WHEN its evidence is shown THEN each rejection is listed with its comment', () => {
    const rejected: VerdictView = {
      ...approval,
      outcome: 'block',
      evidence: {
        ...approval.evidence,
        rejections: [
          { by: 'carl', role: 'admin', at, comment: 'breaks checkout' },
          { by: 'dee', role: 'admin', at },
        ],
      } as typeof approval.evidence,
    };
    expect(evidenceLine(rejected)).toContain('; rejected by carl (admin): "breaks checkout", dee (admin); ');
  });
});
