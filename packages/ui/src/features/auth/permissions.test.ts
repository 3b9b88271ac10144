import type { ApiMe } from '@gantry/client';
import { describe, expect, it } from 'vitest';
import { promoteBlockedReason, roleToPromote } from './permissions.js';

const me = (role: ApiMe['role'], permissions: ApiMe['permissions'] = []): ApiMe => ({
  name: 'ui',
  role,
  open: false,
  permissions,
});

describe('permissions', () => {
  const rules = [
    { pipeline: 'pay*', phase: 'prod*', role: 'admin' as const },
    { pipeline: '*', phase: 'dev', role: 'viewer' as const },
  ];

  it('GIVEN rules THEN the first match decides, globs included; no match means promoter', () => {
    expect(roleToPromote(rules, 'payments', 'production')).toBe('admin');
    expect(roleToPromote(rules, 'search', 'production')).toBe('promoter');
    expect(roleToPromote(rules, 'search', 'dev')).toBe('viewer');
  });

  it('GIVEN a viewer THEN promoting is blocked with the role needed and the role held', () => {
    expect(promoteBlockedReason(me('viewer'), 'app', { phase: 'staging', writable: true })).toBe(
      'Promoting app/staging needs role promoter; token "ui" has viewer',
    );
  });

  it('GIVEN a promoter and an admin-only phase THEN blocked; GIVEN an admin THEN allowed', () => {
    expect(promoteBlockedReason(me('promoter', rules), 'payments', { phase: 'prod', writable: true })).toContain(
      'needs role admin',
    );
    expect(promoteBlockedReason(me('admin', rules), 'payments', { phase: 'prod', writable: true })).toBeUndefined();
  });

  it('GIVEN a read-only phase THEN blocked for everyone', () => {
    expect(promoteBlockedReason(me('admin'), 'app', { phase: 'oci', writable: false })).toContain('source of versions');
  });
});
