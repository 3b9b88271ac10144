import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from './facts.js';
import { autoFactsAt, DIGEST, evidenceOf, factsAt, OTHER_DIGEST, verdictOf } from './facts.test-support.js';

const NOW = '2025-12-05T12:00:00Z';
const approve = (
  by: string,
  role: string,
  at = '2025-12-05T11:00:00Z',
  more: Partial<ApprovalRecord> = {},
): ApprovalRecord => ({
  by,
  role,
  at,
  decision: 'approve',
  digest: DIGEST,
  ...more,
});
const twoAdmins = { kind: 'approval', count: 2, roles: ['admin'] };

describe('the approval gate', () => {
  it('GIVEN two admin approvals needed and one given WHEN evaluated THEN it waits for one more admin, not the requester', () => {
    const v = verdictOf(twoAdmins, factsAt(NOW, { approvals: [approve('alice', 'admin')] }));
    expect(v).toMatchObject({ outcome: 'wait', reason: '1 of 2 approvals: alice (admin)' });
    expect(v.unblock).toBe('one more approval from role admin (not carol, who requested it)');
    expect(v.changesAt).toBeUndefined();
  });

  it('GIVEN two admins approved WHEN evaluated THEN it passes and names them', () => {
    const v = verdictOf(twoAdmins, factsAt(NOW, { approvals: [approve('alice', 'admin'), approve('bob', 'admin')] }));
    expect(v).toMatchObject({ outcome: 'pass', reason: 'approved by alice (admin), bob (admin)' });
    expect(evidenceOf(v, 'approval').approvers).toEqual([
      { by: 'alice', role: 'admin', at: '2025-12-05T11:00:00Z' },
      { by: 'bob', role: 'admin', at: '2025-12-05T11:00:00Z' },
    ]);
  });

  it('GIVEN the requester approves their own promotion WHEN one approval is needed THEN it does not count', () => {
    const one = { kind: 'approval', roles: ['promoter'] };
    const v = verdictOf(one, factsAt(NOW, { approvals: [approve('carol', 'admin')] }));
    expect(v.outcome).toBe('wait');
    expect(evidenceOf(v, 'approval').ignored).toEqual([
      expect.objectContaining({ by: 'carol', ignored: 'carol requested this promotion' }),
    ]);
    // with someone else's approval it passes; carol's still does not count
    const both = verdictOf(one, factsAt(NOW, { approvals: [approve('carol', 'admin'), approve('dan', 'promoter')] }));
    expect(both).toMatchObject({ outcome: 'pass', reason: 'approved by dan (promoter)' });
  });

  it('GIVEN approvals of another version WHEN evaluated THEN they do not count: a newer version needs its own', () => {
    const v = verdictOf(
      twoAdmins,
      factsAt(NOW, {
        approvals: [approve('alice', 'admin'), approve('bob', 'admin', undefined, { digest: OTHER_DIGEST })],
      }),
    );
    expect(v.outcome).toBe('wait');
    expect(evidenceOf(v, 'approval').ignored[0]?.ignored).toBe('for another version (sha256:bbbbbbbbbbbb)');
  });

  it('GIVEN a rejection WHEN evaluated THEN it blocks with the comment, even with enough approvals', () => {
    const v = verdictOf(
      { kind: 'approval', roles: ['promoter'] },
      factsAt(NOW, {
        approvals: [
          approve('alice', 'admin'),
          approve('bob', 'promoter', '2025-12-05T10:00:00Z', { decision: 'reject', comment: 'breaks the EU checkout' }),
        ],
      }),
    );
    expect(v).toMatchObject({
      outcome: 'block',
      reason: 'rejected by bob (promoter) 2h ago: breaks the EU checkout',
      unblock: 'bob approves it after all, or a newer version is released',
    });
    expect(evidenceOf(v, 'approval').rejections).toEqual([
      { by: 'bob', role: 'promoter', at: '2025-12-05T10:00:00Z', comment: 'breaks the EU checkout' },
    ]);
    // alice's approval is still listed: it counts once the rejection is withdrawn
    expect(evidenceOf(v, 'approval').approvers.map((a) => a.by)).toEqual(['alice']);
  });

  it('GIVEN two rejections WHEN evaluated THEN both are listed and both must change their mind', () => {
    const v = verdictOf(
      { kind: 'approval', roles: ['promoter'] },
      factsAt(NOW, {
        approvals: [
          approve('bob', 'promoter', '2025-12-05T10:00:00Z', { decision: 'reject', comment: 'slow' }),
          approve('dan', 'admin', '2025-12-05T11:00:00Z', { decision: 'reject', comment: 'no ticket' }),
        ],
      }),
    );
    expect(v).toMatchObject({
      outcome: 'block',
      reason: 'rejected by bob (promoter) 2h ago: slow (and 1 more)',
      unblock: 'bob and dan approve it after all, or a newer version is released',
    });
    expect(evidenceOf(v, 'approval').rejections.map((r) => [r.by, r.comment])).toEqual([
      ['bob', 'slow'],
      ['dan', 'no ticket'],
    ]);
  });

  it('GIVEN a rejection followed by an approval from the same person WHEN evaluated THEN the later decision counts', () => {
    const v = verdictOf(
      { kind: 'approval', roles: ['promoter'] },
      factsAt(NOW, {
        approvals: [
          approve('bob', 'promoter', '2025-12-05T11:30:00Z'),
          approve('bob', 'promoter', '2025-12-05T10:00:00Z', { decision: 'reject' }),
        ],
      }),
    );
    expect(v.outcome).toBe('pass');
  });

  it('GIVEN roles rank (viewer < promoter < admin) and named holders WHEN counting THEN higher roles and named tokens count', () => {
    const gate = { kind: 'approval', count: 3, roles: ['promoter'], tokens: ['release-bot'] };
    const v = verdictOf(
      gate,
      factsAt(NOW, {
        approvals: [
          approve('admin-ann', 'admin'),
          approve('pete', 'promoter'),
          approve('vera', 'viewer'),
          approve('release-bot', 'viewer'),
        ],
      }),
    );
    expect(v).toMatchObject({ outcome: 'pass' });
    const e = evidenceOf(v, 'approval');
    expect(e.approvers.map((c) => c.by)).toEqual(['admin-ann', 'pete', 'release-bot']);
    expect(e.ignored).toEqual([
      expect.objectContaining({ by: 'vera', ignored: 'vera (viewer) is not among the approvers' }),
    ]);
    expect(e.eligible).toEqual({
      minRole: 'promoter',
      tokens: ['release-bot'],
      text: 'a promoter or admin, or release-bot',
    });
  });

  it('GIVEN one person approving twice WHEN two approvals are needed THEN they count once', () => {
    const v = verdictOf(
      { kind: 'approval', count: 2, roles: ['admin'] },
      factsAt(NOW, { approvals: [approve('alice', 'admin'), approve('alice', 'admin', '2025-12-05T11:10:00Z')] }),
    );
    expect(v).toMatchObject({ outcome: 'wait', reason: '1 of 2 approvals: alice (admin)' });
  });

  it('GIVEN approvals that expire WHEN evaluated THEN old ones do not count, and a pass says when it stops', () => {
    const gate = { kind: 'approval', count: 2, roles: ['admin'], expiresAfter: '24h' };
    const approvals = [
      approve('alice', 'admin', '2025-12-04T13:00:00Z'),
      approve('bob', 'admin', '2025-12-05T08:00:00Z'),
      approve('eve', 'admin', '2025-12-03T08:00:00Z'),
    ];
    const v = verdictOf(gate, factsAt(NOW, { approvals }));
    // eve's expired; alice's expires first: then only one is left
    expect(v).toMatchObject({ outcome: 'pass', changesAt: '2025-12-05T13:00:00.000Z' });
    expect(evidenceOf(v, 'approval').ignored).toEqual([
      expect.objectContaining({ by: 'eve', ignored: 'expired at 2025-12-04T08:00:00.000Z' }),
    ]);
    expect(verdictOf(gate, factsAt('2025-12-05T13:00:00Z', { approvals })).outcome).toBe('wait');
  });

  it('GIVEN an automatic promotion WHEN approvals are missing THEN no requester is excluded or named', () => {
    const v = verdictOf(twoAdmins, autoFactsAt(NOW, { approvals: [] }));
    expect(v).toMatchObject({
      outcome: 'wait',
      reason: '0 of 2 approvals',
      unblock: 'two more approvals from role admin',
    });
  });

  it('GIVEN an approval whose time is not a timestamp WHEN counting THEN it does not count', () => {
    const v = verdictOf(
      { kind: 'approval', roles: ['admin'] },
      factsAt(NOW, { approvals: [approve('al', 'admin', 'yesterday')] }),
    );
    expect(v.outcome).toBe('wait');
  });
});
