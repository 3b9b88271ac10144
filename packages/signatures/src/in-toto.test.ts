import { describe, expect, it } from 'vitest';
import { checkStatement } from './in-toto.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const SLSA = 'https://slsa.dev/provenance/v1';
const TYPE = 'application/vnd.in-toto+json';
const bytes = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const statement = (over: Record<string, unknown> = {}) =>
  bytes({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'registry/team/app', digest: { sha256: DIGEST.slice(7) } }],
    predicateType: SLSA,
    predicate: { buildDefinition: {}, runDetails: {} },
    ...over,
  });

describe('checkStatement', () => {
  it('GIVEN a statement about the image of the required type WHEN checked THEN ok', () => {
    expect(checkStatement(TYPE, statement(), DIGEST, SLSA)).toEqual({ ok: true, predicateType: SLSA });
    // a v0.1 statement and one subject among several
    const several = statement({
      _type: 'https://in-toto.io/Statement/v0.1',
      subject: [{ digest: { sha256: OTHER.slice(7) } }, { digest: { sha512: 'x', sha256: DIGEST.slice(7) } }],
    });
    expect(checkStatement(TYPE, several, DIGEST, SLSA)).toMatchObject({ ok: true });
  });

  it('GIVEN a statement of another predicate type WHEN checked THEN predicate_type_mismatch naming both', () => {
    const r = checkStatement(TYPE, statement({ predicateType: 'https://spdx.dev/Document' }), DIGEST, SLSA);
    expect(r).toEqual({
      ok: false,
      code: 'predicate_type_mismatch',
      message: `the attestation's predicate type is "https://spdx.dev/Document", not "${SLSA}"`,
      predicateType: 'https://spdx.dev/Document',
    });
  });

  it('GIVEN a statement about another image, or no sha256 subject WHEN checked THEN digest_mismatch', () => {
    const other = statement({ subject: [{ digest: { sha256: OTHER.slice(7) } }] });
    expect(checkStatement(TYPE, other, DIGEST, SLSA)).toMatchObject({
      code: 'digest_mismatch',
      message: expect.stringContaining(`(${OTHER}) do not include ${DIGEST}`),
    });
    const none = statement({ subject: [{ digest: { sha512: 'x' } }] });
    expect(checkStatement(TYPE, none, DIGEST, SLSA)).toMatchObject({
      code: 'digest_mismatch',
      message: expect.stringContaining('none with a sha256 digest'),
    });
  });

  it('GIVEN payloads that are not in-toto statements WHEN checked THEN payload_invalid', () => {
    expect(checkStatement('text/plain', statement(), DIGEST, SLSA)).toMatchObject({ code: 'payload_invalid' });
    expect(checkStatement(TYPE, new TextEncoder().encode('nope'), DIGEST, SLSA)).toMatchObject({
      code: 'payload_invalid',
    });
    expect(checkStatement(TYPE, bytes({ predicateType: SLSA }), DIGEST, SLSA)).toMatchObject({
      code: 'payload_invalid',
      message: expect.stringContaining('_type'),
    });
    expect(checkStatement(TYPE, statement({ _type: 'https://example.com/x' }), DIGEST, SLSA)).toMatchObject({
      code: 'payload_invalid',
    });
  });
});
