import { describe, expect, it } from 'vitest';
import type { SignatureRecord } from './facts.js';
import { autoFactsAt, DIGEST, evidenceOf, OTHER_DIGEST, verdictOf } from './facts.test-support.js';

const NOW = '2025-12-05T12:00:00Z';
const KEY = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';
const signed = {
  kind: 'signature',
  keys: [
    { id: 'release-2025', publicKey: KEY },
    { id: 'ci', publicKey: KEY },
  ],
};
const slsa = { ...signed, name: 'provenance', predicateType: 'https://slsa.dev/provenance/v1' };
const ok: SignatureRecord = {
  kind: 'signature',
  outcome: 'verified',
  verified: true,
  keyId: 'ci',
  reason: 'verified',
  digest: DIGEST,
};

describe('the signature gate', () => {
  it('GIVEN a signature verified with a configured key WHEN evaluated THEN it passes and names the key', () => {
    const v = verdictOf(signed, autoFactsAt(NOW, { signatures: [ok] }));
    expect(v).toMatchObject({ outcome: 'pass', reason: 'a signature verified with key ci' });
    expect(evidenceOf(v, 'signature')).toMatchObject({ verifiedBy: 'ci', keys: ['release-2025', 'ci'] });
  });

  it("GIVEN @gantry/signatures' result shape (digest in evidence) WHEN evaluated THEN it is read as is", () => {
    const result = { ...ok, digest: undefined, code: 'verified', evidence: { digest: DIGEST, keys: [] } };
    expect(verdictOf(signed, autoFactsAt(NOW, { signatures: [result] })).outcome).toBe('pass');
    const other = { ...result, evidence: { digest: OTHER_DIGEST } };
    expect(verdictOf(signed, autoFactsAt(NOW, { signatures: [other] })).outcome).toBe('block');
  });

  it('GIVEN refused signatures WHEN evaluated THEN it blocks with their reasons and what would unblock it', () => {
    const forged: SignatureRecord = {
      kind: 'signature',
      outcome: 'refused',
      verified: false,
      code: 'signature_invalid',
      reason: 'the signature does not verify with any configured key',
      digest: DIGEST,
    };
    const v = verdictOf(signed, autoFactsAt(NOW, { signatures: [forged] }));
    expect(v.outcome).toBe('block');
    expect(v.reason).toBe(
      'no signature verified with keys release-2025, ci: the signature does not verify with any configured key',
    );
    expect(v.unblock).toBe('sign sha256:aaaaaaaaaaaa with one of release-2025, ci, or release a version that is');
  });

  it('GIVEN a signature verified with a key the gate does not name WHEN evaluated THEN it blocks', () => {
    const v = verdictOf(signed, autoFactsAt(NOW, { signatures: [{ ...ok, keyId: 'someone-else' }] }));
    expect(v.outcome).toBe('block');
    expect(v.reason).toContain('verified with key someone-else, which this gate does not name');
  });

  it('GIVEN the registry could not be asked WHEN evaluated THEN it waits and says why; it never passes', () => {
    const down: SignatureRecord = {
      kind: 'signature',
      outcome: 'unavailable',
      verified: false,
      code: 'unavailable',
      reason: 'registry.example: connection refused',
      digest: DIGEST,
    };
    const v = verdictOf(signed, autoFactsAt(NOW, { signatures: [down] }));
    expect(v).toMatchObject({
      outcome: 'wait',
      reason: 'a signature could not be checked: registry.example: connection refused',
    });
  });

  it('GIVEN no check recorded, or only for another digest or gate WHEN evaluated THEN it blocks for the missing fact', () => {
    for (const signatures of [undefined, [{ ...ok, digest: OTHER_DIGEST }], [{ ...ok, gate: 'provenance' }]]) {
      const v = verdictOf(signed, autoFactsAt(NOW, signatures ? { signatures } : {}));
      expect(v).toMatchObject({
        outcome: 'block',
        reason: 'no check of a signature on sha256:aaaaaaaaaaaa was recorded',
      });
    }
  });

  it('GIVEN an attestation gate WHEN the verified attestation has the predicate type THEN it passes; another type blocks', () => {
    const att: SignatureRecord = {
      kind: 'attestation',
      outcome: 'verified',
      verified: true,
      keyId: 'release-2025',
      predicateType: 'https://slsa.dev/provenance/v1',
      reason: 'verified',
      digest: DIGEST,
    };
    expect(verdictOf(slsa, autoFactsAt(NOW, { signatures: [att] }))).toMatchObject({
      outcome: 'pass',
      reason: 'an attestation of https://slsa.dev/provenance/v1 verified with key release-2025',
    });
    const spdx = { ...att, predicateType: 'https://spdx.dev/Document' };
    expect(verdictOf(slsa, autoFactsAt(NOW, { signatures: [spdx] })).reason).toContain(
      'an attestation of https://spdx.dev/Document, not https://slsa.dev/provenance/v1',
    );
    // a plain signature does not satisfy an attestation gate, nor the reverse
    expect(verdictOf(slsa, autoFactsAt(NOW, { signatures: [ok] })).outcome).toBe('block');
    expect(verdictOf(signed, autoFactsAt(NOW, { signatures: [att] })).outcome).toBe('block');
  });
});
