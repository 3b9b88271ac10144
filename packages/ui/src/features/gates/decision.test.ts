import type { ApiMe } from '@gantry/client';
import { describe, expect, it } from 'vitest';
import { promotion, verdict } from '../../shared/fixtures.js';
import { decisionBlockedReason } from './decision.js';
import { readVerdicts } from './gate-format.js';

const me = (name: string, role: ApiMe['role']): ApiMe => ({ name, role, open: false, permissions: [] });
const requestedBy = (actor: string) => promotion({ state: 'waiting', trigger: { kind: 'person', actor } });

describe('who may approve or reject', () => {
  it('GIVEN a viewer on an admin approval THEN both buttons say which role it needs', () => {
    const r = decisionBlockedReason(me('vic', 'viewer'), requestedBy('ann'), readVerdicts([verdict()]));
    expect(r).toEqual({
      approve: 'Deciding needs role admin; token "vic" has viewer',
      reject: 'Deciding needs role admin; token "vic" has viewer',
    });
  });

  it('GIVEN a ci token THEN it never decides, even on a gate any viewer may decide', () => {
    const anyone = readVerdicts([
      verdict({
        evidence: {
          required: 1,
          eligible: { minRole: 'viewer', tokens: [], text: 'a viewer or promoter or admin' },
          approvers: [],
          rejections: [],
          ignored: [],
        },
      }),
    ]);
    expect(decisionBlockedReason(me('build', 'ci'), requestedBy('ann'), anyone).approve).toBe(
      'Deciding needs a viewer or promoter or admin; token "build" has ci',
    );
    expect(decisionBlockedReason(me('vic', 'viewer'), requestedBy('ann'), anyone)).toEqual({});
  });

  it('GIVEN a named viewer THEN the viewer may decide', () => {
    const v = readVerdicts([
      verdict({
        evidence: {
          required: 1,
          eligible: { minRole: 'admin', tokens: ['vic'], text: 'role admin, or vic' },
          approvers: [],
          rejections: [],
          ignored: [],
        },
      }),
    ]);
    expect(decisionBlockedReason(me('vic', 'viewer'), requestedBy('ann'), v)).toEqual({});
  });

  it('GIVEN the requester THEN only rejecting counts; GIVEN someone who approved already THEN approving again adds nothing', () => {
    const v = readVerdicts([verdict()]);
    expect(decisionBlockedReason(me('ann', 'admin'), requestedBy('ann'), v)).toEqual({
      approve: 'ann requested this promotion: their own approval does not count',
    });
    const approved = readVerdicts([
      verdict({
        evidence: {
          required: 2,
          eligible: { minRole: 'admin', tokens: [], text: 'role admin' },
          approvers: [{ by: 'bob', role: 'admin', at: '2026-01-01T10:00:00Z' }],
          rejections: [],
          ignored: [],
        },
      }),
    ]);
    expect(decisionBlockedReason(me('bob', 'admin'), requestedBy('ann'), approved)).toEqual({
      approve: 'bob approved this version already',
    });
    expect(decisionBlockedReason(me('carl', 'admin'), requestedBy('ann'), approved)).toEqual({});
  });

  it('GIVEN no approval still open, or a caller the dashboard does not know THEN the server decides', () => {
    expect(
      decisionBlockedReason(me('vic', 'viewer'), requestedBy('ann'), readVerdicts([verdict({ outcome: 'pass' })])),
    ).toEqual({});
    expect(decisionBlockedReason(undefined, requestedBy('ann'), readVerdicts([verdict()]))).toEqual({});
  });
});
