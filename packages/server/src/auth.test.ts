import { describe, expect, it } from 'vitest';
import { requireRole, roleAtLeast, roleToPromote } from './auth.js';

describe('roles and per-phase permissions', () => {
  const rules = [
    { pipeline: '*', phase: 'production', role: 'admin' as const },
    { pipeline: 'web-*', phase: '*', role: 'promoter' as const },
    { pipeline: '*', phase: '*', role: 'viewer' as const },
  ];

  it('GIVEN rules WHEN a phase matches several THEN the first decides', () => {
    expect(roleToPromote(rules, 'app', 'production')).toBe('admin');
    expect(roleToPromote(rules, 'web-shop', 'staging')).toBe('promoter');
    expect(roleToPromote(rules, 'app', 'staging')).toBe('viewer');
    expect(roleToPromote([], 'app', 'staging')).toBe('promoter');
  });

  it('GIVEN roles THEN admin > promoter > viewer', () => {
    expect(roleAtLeast('admin', 'promoter')).toBe(true);
    expect(roleAtLeast('viewer', 'promoter')).toBe(false);
  });

  it('GIVEN a promoter WHEN production needs admin THEN forbidden, naming both roles', () => {
    expect(() => requireRole({ name: 'ci', role: 'promoter' }, 'admin', 'promoting app/production')).toThrow(
      'promoting app/production needs role admin; token "ci" has promoter',
    );
  });
});
