import { describe, expect, it } from 'vitest';
import { branchVerdict, verdict } from '../../shared/fixtures.js';
import type { ApiGateVerdict } from '@gantry/api';
import {
  blockedText,
  evidenceLines,
  gatesSummary,
  passesOnlyByHand,
  readVerdicts,
  requestLabel,
  requestOutlook,
} from './gate-format.js';

describe('gate verdicts as the dashboard shows them', () => {
  it('GIVEN records from the API THEN verdicts; records that are not verdicts of a known kind are left out', () => {
    const junk = [
      { gate: 'x', outcome: 'maybe' },
      { outcome: 'pass' },
      'junk',
      verdict({ kind: 'astrology' }),
      verdict({ evidence: null }),
    ] as unknown as ApiGateVerdict[];
    const read = readVerdicts([verdict(), ...junk]);
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({
      gate: 'two-admins',
      kind: 'approval',
      outcome: 'wait',
      unblock: expect.any(String),
    });
    expect(readVerdicts(undefined)).toEqual([]);
  });

  it('GIVEN a waiting approval THEN the request waits for approval; GIVEN a window too THEN both are named', () => {
    const waiting = readVerdicts([verdict()]);
    expect(requestOutlook(waiting).outcome).toBe('wait');
    expect(requestLabel(waiting)).toBe('Request (waits for approval)');
    const both = readVerdicts([verdict({ gate: 'office-hours', kind: 'window' }), verdict()]);
    expect(requestLabel(both)).toBe('Request (waits for approval and the change window)');
    expect(requestLabel(readVerdicts([verdict({ gate: 'soak-1h', kind: 'soak' })]))).toBe(
      'Request (waits for soak time)',
    );
  });

  it('GIVEN a blocking gate THEN the request is blocked with each gate and reason, even when others wait', () => {
    const v = readVerdicts([
      verdict(),
      verdict({
        gate: 'ticket',
        kind: 'commit',
        outcome: 'block',
        reason: 'no ticket',
        evidence: { failed: ['ticket'] },
      }),
    ]);
    const o = requestOutlook(v);
    expect(o.outcome).toBe('block');
    expect(blockedText(o.blocking)).toBe('Blocked: ticket: no ticket');
    expect(gatesSummary(v)).toBe('blocked by ticket; waiting for two-admins');
  });

  it('GIVEN verdicts judged for a release by hand THEN the outlook is the outcomes as given; a pass only by hand is recognised', () => {
    // as the server judges a person's release: a hotfix branch passes, a skip marker is ignored
    const byHand = branchVerdict({
      outcome: 'pass',
      reason: 'built from hotfix/42, released by hand (only versions from main are promoted automatically)',
      unblock: undefined,
      evidence: { allowed: ['main'], manualOnly: true, manual: true, branch: 'hotfix/42' },
    });
    const skipIgnored = verdict({
      gate: 'c',
      kind: 'commit',
      outcome: 'pass',
      evidence: { identity: 'committer', skipMarker: '[skip deploy]', failed: [] },
    });
    const fromMain = branchVerdict({
      outcome: 'pass',
      evidence: { allowed: ['main'], manualOnly: true, manual: true, branch: 'main', matched: 'main' },
    });
    expect([byHand, skipIgnored, fromMain, branchVerdict()].map(passesOnlyByHand)).toEqual([true, true, false, false]);
    expect(requestOutlook([byHand, skipIgnored]).outcome).toBe('pass');
    // as automation meets it, the same hotfix build blocks: the outlook never second-guesses the server
    expect(requestOutlook([branchVerdict()]).outcome).toBe('block');
  });

  it('GIVEN each kind THEN its evidence in words: who approved and who did not count, the window, the commit, the key', () => {
    const [approval] = readVerdicts([
      verdict({
        evidence: {
          required: 2,
          eligible: { minRole: 'admin', tokens: [], text: 'role admin' },
          approvers: [{ by: 'bob', role: 'admin', at: '2026-01-01T10:00:00Z', comment: 'looks good' }],
          rejections: [{ by: 'dee', role: 'admin', at: '2026-01-01T10:30:00Z', comment: 'wait for the fix' }],
          ignored: [{ by: 'ann', role: 'admin', at: '2026-01-01T09:00:00Z', ignored: 'ann requested this promotion' }],
        },
      }),
    ]);
    expect(approval && evidenceLines(approval)).toEqual([
      'needs 2 from role admin',
      'approved by bob (admin): “looks good”',
      'rejected by dee (admin): “wait for the fix”',
      'not counted: ann (ann requested this promotion)',
    ]);
    const [window] = readVerdicts([
      verdict({
        kind: 'window',
        evidence: {
          timeZone: 'Europe/Paris',
          localTime: 'Fri 5 Dec 2025 18:30',
          open: false,
          closedBy: 'deny',
          period: 'Fri 18:00-Mon 06:00',
        },
      }),
    ]);
    expect(window && evidenceLines(window)).toEqual([
      'Fri 5 Dec 2025 18:30 Europe/Paris: closed',
      'denied period: Fri 18:00-Mon 06:00',
    ]);
    const [commit] = readVerdicts([
      verdict({
        kind: 'commit',
        evidence: { identity: 'committer', commit: 'df71bd11087227d4', subject: 'fix checkout', failed: ['ticket'] },
      }),
    ]);
    expect(commit && evidenceLines(commit)).toEqual(['df71bd11 “fix checkout”']);
    const [signature] = readVerdicts([
      verdict({
        kind: 'signature',
        evidence: {
          keys: ['release'],
          results: [{ verified: false, keyId: 'release', reason: 'signature does not verify' }],
        },
      }),
    ]);
    expect(signature && evidenceLines(signature)).toEqual(['invalid (release): signature does not verify']);
    const [broken] = readVerdicts([verdict({ evidence: { notEvaluated: 'no clock' } })]);
    expect(broken && evidenceLines(broken)).toEqual(['not evaluated: no clock']);
  });

  it('GIVEN verdicts that all pass THEN the summary says so', () => {
    expect(gatesSummary(readVerdicts([verdict({ outcome: 'pass' })]))).toBe('the gate passed');
    expect(gatesSummary(readVerdicts([verdict({ outcome: 'pass' }), verdict({ gate: 'b', outcome: 'pass' })]))).toBe(
      'all 2 gates passed',
    );
  });
});
