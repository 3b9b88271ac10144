import { describe, expect, it } from 'vitest';
import { checkSimpleSigning } from './simple-signing.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const OTHER = `sha256:${'d'.repeat(64)}`;
const bytes = (s: string) => new TextEncoder().encode(s);
/** What `cosign sign` writes, byte for byte (sigstore/sigstore payload.Cosign marshalled by Go). */
const cosignPayload = (digest: string, ref = 'registry.example/team/app') =>
  `{"critical":{"identity":{"docker-reference":"${ref}"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`;

describe('checkSimpleSigning', () => {
  it("GIVEN cosign's payload for the digest WHEN checked THEN ok, whatever repository it names", () => {
    expect(checkSimpleSigning(bytes(cosignPayload(DIGEST)), DIGEST)).toEqual({
      ok: true,
      signedDigest: DIGEST,
      dockerReference: 'registry.example/team/app',
    });
    expect(checkSimpleSigning(bytes(cosignPayload(DIGEST, 'elsewhere/copy')), DIGEST)).toMatchObject({ ok: true });
    const withClaims = `{"critical":{"image":{"docker-manifest-digest":"${DIGEST}"},"type":"cosign container image signature"},"optional":{"ci":"run 7"}}`;
    expect(checkSimpleSigning(bytes(withClaims), DIGEST)).toMatchObject({ ok: true });
  });

  it('GIVEN a payload for another digest WHEN checked THEN digest_mismatch naming the signed image', () => {
    expect(checkSimpleSigning(bytes(cosignPayload(OTHER)), DIGEST)).toEqual({
      ok: false,
      code: 'digest_mismatch',
      message: `the signature is for image ${OTHER}, not ${DIGEST} (copied from another image)`,
      signedDigest: OTHER,
    });
  });

  it('GIVEN payloads of another type, other key spelling or not JSON WHEN checked THEN payload_invalid', () => {
    const otherType = cosignPayload(DIGEST).replace('cosign container image signature', 'atomic container signature');
    expect(checkSimpleSigning(bytes(otherType), DIGEST)).toMatchObject({
      code: 'payload_invalid',
      message: expect.stringContaining('"atomic container signature"'),
    });
    const capitalised = cosignPayload(DIGEST).replace('docker-manifest-digest', 'Docker-manifest-digest');
    expect(checkSimpleSigning(bytes(capitalised), DIGEST)).toMatchObject({
      code: 'payload_invalid',
      message: expect.stringContaining('critical.image.docker-manifest-digest'),
    });
    expect(checkSimpleSigning(bytes('not json'), DIGEST)).toMatchObject({ code: 'payload_invalid' });
    expect(checkSimpleSigning(new Uint8Array([0xff, 0xfe]), DIGEST)).toMatchObject({ code: 'payload_invalid' });
  });
});
