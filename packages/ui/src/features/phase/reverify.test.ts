import type { ApiMe } from '@gantry/client';
import { describe, expect, it } from 'vitest';
import { reverifyBlockedReason } from './reverify.js';

const at = '2030-01-01T00:00:00.000Z';
const me = (role: ApiMe['role']): ApiMe => ({
  name: 'ci',
  role,
  open: false,
  permissions: [{ pipeline: '*', phase: 'production', role: 'admin' }],
});
const verified = {
  phase: 'production',
  promotionId: '00000000-0000-4000-8000-000000000001',
  deployment: { state: 'healthy' as const, at },
  verification: { state: 'verified' as const, at, run: 1 },
};

describe('reverifyBlockedReason', () => {
  it('GIVEN a verified version and the role that may promote the phase THEN allowed; a lesser role is told which it needs', () => {
    expect(reverifyBlockedReason(me('admin'), 'app', verified)).toBeUndefined();
    expect(reverifyBlockedReason(me('promoter'), 'app', verified)).toBe(
      'Re-running verification of app/production needs role admin; token "ci" has promoter',
    );
  });

  it('GIVEN what the server refuses THEN the reason: no promotion, no verification, a deployer not healthy, a run under way', () => {
    const { promotionId: _p, ...manual } = verified;
    expect(reverifyBlockedReason(me('admin'), 'app', manual)).toContain('did not come through a promotion');
    expect(reverifyBlockedReason(me('admin'), 'app', { phase: 'production', promotionId: 'x' })).toBe(
      'production has no verification: it names no deployer and no checks',
    );
    expect(reverifyBlockedReason(me('admin'), 'app', { ...verified, deployment: { state: 'degraded', at } })).toBe(
      'Verification runs once the deployer reports healthy; it is degraded',
    );
    expect(
      reverifyBlockedReason(me('admin'), 'app', { ...verified, verification: { state: 'running', at, run: 2 } }),
    ).toBe('Verification is running');
  });
});
