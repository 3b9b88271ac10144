import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pae, verifyEnvelope } from './dsse.js';
import { checkStatement } from './in-toto.js';
import { parsePublicKey } from './public-key.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const utf8 = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');

/**
 * A DSSE envelope made by cosign itself (`cosign attest-blob` with an ECDSA P-256 key),
 * with that key: sigstore/cosign, cmd/cosign/cli/verify/verify_blob_attestation_test.go
 * (`pubkey`, `blobSLSAProvenanceSignature`; Apache-2.0). Its statement is a SLSA v0.2
 * provenance whose subject is sha256("some-payload").
 */
const COSIGN_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAESF79b1ToAtoakhBOHEU5UjnEiihV
gZPFIp557+TOoDxf14FODWc+sIPETk0OgCplAk60doVXbCv33IU4rXZHrg==
-----END PUBLIC KEY-----
`;
const COSIGN_ENVELOPE = Buffer.from(
  'eyJwYXlsb2FkVHlwZSI6ImFwcGxpY2F0aW9uL3ZuZC5pbi10b3RvK2pzb24iLCJwYXlsb2FkIjoiZXlKZmRIbHdaU0k2SW1oMGRIQnpPaTh2YVc0dGRHOTBieTVwYnk5VGRHRjBaVzFsYm5RdmRqQXVNU0lzSW5CeVpXUnBZMkYwWlZSNWNHVWlPaUpvZEhSd2N6b3ZMM05zYzJFdVpHVjJMM0J5YjNabGJtRnVZMlV2ZGpBdU1pSXNJbk4xWW1wbFkzUWlPbHQ3SW01aGJXVWlPaUppYkc5aUlpd2laR2xuWlhOMElqcDdJbk5vWVRJMU5pSTZJalkxT0RjNE1XTmtOR1ZrT1dKallUWXdaR0ZqWkRBNVpqZGlZamt4TkdKaU5URTFNREpsT0dJMVpEWXhPV1kxTjJZek9XRXhaRFkxTWpVNU5tTmpNalFpZlgxZExDSndjbVZrYVdOaGRHVWlPbnNpWW5WcGJHUmxjaUk2ZXlKcFpDSTZJaklpZlN3aVluVnBiR1JVZVhCbElqb2llQ0lzSW1sdWRtOWpZWFJwYjI0aU9uc2lZMjl1Wm1sblUyOTFjbU5sSWpwN2ZYMTlmUT09Iiwic2lnbmF0dXJlcyI6W3sia2V5aWQiOiIiLCJzaWciOiJNRVVDSUE4S2pacWtydDkwZnpCb2pTd3d0ajNCcWI0MUU2cnV4UWs5N1RMbnB6ZFlBaUVBek9Bak9Uenl2VEhxYnBGREFuNnpocmc2RVp2N2t4SzVmYVJvVkdZTWgyYz0ifV19',
  'base64',
);
const SOME_PAYLOAD_DIGEST = 'sha256:658781cd4ed9bca60dacd09f7bb914bb51502e8b5d619f57f39a1d652596cc24';

function keyOf(pem: string) {
  const parsed = parsePublicKey(pem);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.key;
}

describe('DSSE', () => {
  it('GIVEN the DSSE specification example WHEN encoded THEN the PAE is byte for byte the specified one', () => {
    expect(text(pae('http://example.com/HelloWorld', utf8('hello world')))).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    // lengths are bytes, not characters
    expect(text(pae('t', utf8('é')))).toBe('DSSEv1 1 t 2 é');
  });

  it('GIVEN an envelope cosign made WHEN verified with its public key THEN it verifies and its statement names the subject', () => {
    // GIVEN
    const key = keyOf(COSIGN_PUBLIC_KEY);
    // WHEN
    const checked = verifyEnvelope(COSIGN_ENVELOPE, [key]);
    // THEN
    if (!checked.ok) throw new Error(checked.message);
    expect(checked.key).toBe(key);
    expect(
      checkStatement(checked.payloadType, checked.payload, SOME_PAYLOAD_DIGEST, 'https://slsa.dev/provenance/v0.2'),
    ).toEqual({
      ok: true,
      predicateType: 'https://slsa.dev/provenance/v0.2',
    });
  });

  it("GIVEN cosign's envelope WHEN its statement is changed, or checked with another key THEN signature_invalid", () => {
    // GIVEN
    const envelope = JSON.parse(COSIGN_ENVELOPE.toString()) as { payload: string };
    const statement = Buffer.from(envelope.payload, 'base64').toString().replace('"id":"2"', '"id":"3"');
    const forged = utf8(JSON.stringify({ ...envelope, payload: b64(statement) }));
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // WHEN / THEN
    expect(verifyEnvelope(forged, [keyOf(COSIGN_PUBLIC_KEY)])).toMatchObject({ ok: false, code: 'signature_invalid' });
    const otherKey = keyOf(String(other.publicKey.export({ type: 'spki', format: 'pem' })));
    expect(verifyEnvelope(COSIGN_ENVELOPE, [otherKey])).toMatchObject({ ok: false, code: 'signature_invalid' });
  });

  it('GIVEN an Ed25519-signed envelope whose payloadType was changed after signing WHEN verified THEN refused (PAE binds the type)', () => {
    // GIVEN
    const kp = generateKeyPairSync('ed25519');
    const key = keyOf(String(kp.publicKey.export({ type: 'spki', format: 'pem' })));
    const body = utf8('{"_type":"https://in-toto.io/Statement/v1"}');
    const sig = sign(null, pae('application/vnd.in-toto+json', body), kp.privateKey);
    const envelope = (payloadType: string) =>
      utf8(JSON.stringify({ payloadType, payload: b64(body), signatures: [{ keyid: '', sig: b64(sig) }] }));
    // WHEN / THEN
    expect(verifyEnvelope(envelope('application/vnd.in-toto+json'), [key])).toMatchObject({ ok: true });
    expect(verifyEnvelope(envelope('text/plain'), [key])).toMatchObject({ ok: false, code: 'signature_invalid' });
  });

  it('GIVEN envelopes that are not JSON, not DSSE, unsigned or with garbage signatures WHEN verified THEN each says so', () => {
    const key = keyOf(COSIGN_PUBLIC_KEY);
    const env = (o: unknown) => utf8(JSON.stringify(o));
    expect(verifyEnvelope(utf8('{'), [key])).toMatchObject({ ok: false, code: 'payload_invalid' });
    expect(verifyEnvelope(env({ payload: 'eA==' }), [key])).toMatchObject({ ok: false, code: 'payload_invalid' });
    const base = { payloadType: 'application/vnd.in-toto+json', payload: 'eA==' };
    expect(verifyEnvelope(env({ ...base, payload: '!!', signatures: [] }), [key])).toMatchObject({
      code: 'payload_invalid',
    });
    expect(verifyEnvelope(env({ ...base, signatures: [] }), [key])).toMatchObject({ code: 'signature_malformed' });
    expect(verifyEnvelope(env({ ...base, signatures: [{ sig: '***' }] }), [key])).toMatchObject({
      code: 'signature_malformed',
    });
  });
});
