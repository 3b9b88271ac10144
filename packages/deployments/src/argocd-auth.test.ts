import { describe, expect, it } from 'vitest';
import { verifyArgoCdToken } from './argocd-auth.js';

const SECRET = 's3cr3t-gantry-token';
const headers =
  (h: Record<string, string>) =>
  (name: string): string | undefined =>
    Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];

describe('verifyArgoCdToken', () => {
  it('GIVEN X-Gantry-Token with the secret THEN it is accepted', () => {
    expect(verifyArgoCdToken(headers({ 'X-Gantry-Token': SECRET }), SECRET)).toEqual({
      ok: true,
      via: 'x-gantry-token',
    });
  });

  it('GIVEN Authorization: Bearer with the secret THEN it is accepted', () => {
    expect(verifyArgoCdToken(headers({ Authorization: `Bearer ${SECRET}` }), SECRET)).toEqual({
      ok: true,
      via: 'authorization',
    });
  });

  it.each([
    ['no header', {}, 'missing'],
    ['another Authorization scheme', { Authorization: `Basic ${SECRET}` }, 'missing'],
    ['a wrong X-Gantry-Token', { 'X-Gantry-Token': 'guess' }, 'mismatch'],
    ['the secret with a character more', { 'X-Gantry-Token': `${SECRET}x` }, 'mismatch'],
    ['an empty X-Gantry-Token', { 'X-Gantry-Token': '' }, 'mismatch'],
    ['a wrong bearer token', { Authorization: 'Bearer guess' }, 'mismatch'],
    // X-Gantry-Token is the one checked when both are sent: a right bearer does not rescue a wrong token
    [
      'a wrong X-Gantry-Token beside a right bearer',
      { 'X-Gantry-Token': 'guess', Authorization: `Bearer ${SECRET}` },
      'mismatch',
    ],
  ])('GIVEN %s THEN it is refused', (_what, h, reason) => {
    expect(verifyArgoCdToken(headers(h), SECRET)).toMatchObject({ ok: false, reason });
  });

  it('GIVEN no configured secret THEN even an empty token is refused', () => {
    expect(verifyArgoCdToken(headers({ 'X-Gantry-Token': '' }), '')).toMatchObject({ ok: false, reason: 'no-secret' });
  });
});
