import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures.test-support.js';
import { signFluxBody, verifyFluxSignature } from './flux-signature.js';

const SECRET = 'flux-provider-token';
const body = fixture('flux-v2.6-kustomization-reconciliation-succeeded.json');
const hmac = (algo: string, data: string | Buffer, key = SECRET) => createHmac(algo, key).update(data).digest('hex');

describe('verifyFluxSignature', () => {
  it('GIVEN the X-Signature notification-controller computes (sha256=<hex hmac of the body>) THEN it verifies', () => {
    expect(verifyFluxSignature(body, `sha256=${hmac('sha256', body)}`, SECRET)).toEqual({
      ok: true,
      algorithm: 'sha256',
    });
  });

  it('GIVEN the raw body as a Buffer THEN the same signature verifies', () => {
    expect(verifyFluxSignature(Buffer.from(body), `sha256=${hmac('sha256', body)}`, SECRET).ok).toBe(true);
  });

  it.each(['sha224', 'sha384', 'sha512'])('GIVEN the documented %s variant THEN it verifies', (algo) => {
    expect(verifyFluxSignature(body, `${algo}=${hmac(algo, body)}`, SECRET)).toEqual({ ok: true, algorithm: algo });
  });

  it('GIVEN upper-case hex THEN it still verifies (hex is case-insensitive)', () => {
    expect(verifyFluxSignature(body, `sha256=${hmac('sha256', body).toUpperCase()}`, SECRET).ok).toBe(true);
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '', 'missing'],
    ['no "="', hmac('sha256', body), 'malformed'],
    ['two "="', `sha256=${hmac('sha256', body)}=`, 'malformed'],
    ['sha1, which Flux does not document', `sha1=${hmac('sha1', body)}`, 'unsupported-algorithm'],
    ['md5', `md5=${hmac('md5', body)}`, 'unsupported-algorithm'],
    ['a truncated hmac', `sha256=${hmac('sha256', body).slice(0, 40)}`, 'malformed'],
    ['non-hex characters', `sha256=${'z'.repeat(64)}`, 'malformed'],
    ['a sha512 hmac labelled sha256', `sha256=${hmac('sha512', body)}`, 'malformed'],
    ['another secret', `sha256=${hmac('sha256', body, 'other-secret')}`, 'mismatch'],
    ['another body', `sha256=${hmac('sha256', `${body} `)}`, 'mismatch'],
  ])('GIVEN %s THEN it is refused', (_what, header, reason) => {
    const check = verifyFluxSignature(body, header, SECRET);
    expect(check).toMatchObject({ ok: false, reason });
    if (!check.ok) expect(check.message).toContain('X-Signature');
  });

  it('GIVEN no configured secret THEN nothing verifies, not even a signature made with the empty key', () => {
    expect(verifyFluxSignature(body, `sha256=${hmac('sha256', body, '')}`, '')).toMatchObject({
      ok: false,
      reason: 'no-secret',
    });
  });
});

describe('signFluxBody', () => {
  it('GIVEN a body THEN it writes what verifyFluxSignature accepts, sha256 by default', () => {
    const header = signFluxBody(body, SECRET);
    expect(header).toBe(`sha256=${hmac('sha256', body)}`);
    expect(verifyFluxSignature(body, header, SECRET).ok).toBe(true);
    expect(verifyFluxSignature(body, signFluxBody(body, SECRET, 'sha512'), SECRET).ok).toBe(true);
  });
});
