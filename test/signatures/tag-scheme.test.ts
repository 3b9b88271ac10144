import { MEDIA_TYPES } from '@gantry/oci';
import { COSIGN, cosignTag, SIGSTORE_BUNDLE, signatureResultSchema, verifySignature } from '@gantry/signatures';
import type { TestRegistry } from '@gantry/testing';
import { generateSigningKey, hasTool, signTestImage, simpleSigningPayload, startRegistry } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, pushImage, verificationKey } from './helpers.js';

/**
 * Signatures on Debian's docker-registry (Distribution 2.8): it has no referrers API,
 * so what `cosign sign --key` writes under `sha256-<hex>.sig` is found by the tag
 * scheme, and OCI 1.1 referrers through the referrers tag schema.
 */
describe.skipIf(!hasTool('docker-registry'))('cosign signatures on a registry without a referrers API', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry?.stop());

  it('GIVEN an image signed with an ECDSA P-256 key under the .sig tag WHEN verified THEN verified by that key, through the tag', async () => {
    // GIVEN
    const digest = await pushImage(registry.url, 'team/app');
    const key = generateSigningKey('ecdsa-p256');
    const attached = await signTestImage(registry.url, 'team/app', digest, { key, via: 'tag' });
    // WHEN
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/app',
      digest,
      keys: [verificationKey(key, 'release')],
    });
    // THEN
    expect(result).toMatchObject({ kind: 'signature', outcome: 'verified', verified: true, code: 'verified' });
    expect(result.keyId).toBe('release');
    expect(result.reason).toBe(
      `signed by key release (ecdsa-p256), found through the cosign tag team/app:${cosignTag(digest, 'signature')}`,
    );
    expect(result.evidence.lookups).toEqual([
      expect.objectContaining({
        via: 'referrers',
        found: 0,
        location: expect.stringContaining(COSIGN.signatureArtifactType),
      }),
      expect.objectContaining({ via: 'referrers', found: 0, location: expect.stringContaining(SIGSTORE_BUNDLE.v03) }),
      { via: 'tag', location: `team/app:${cosignTag(digest, 'signature')}`, found: 1 },
    ]);
    expect(result.evidence.candidates).toEqual([
      expect.objectContaining({
        via: 'tag',
        manifest: attached.tag?.manifest,
        layer: attached.layer,
        signedDigest: digest,
      }),
    ]);
    // the result is plain JSON that reads back through its schema
    expect(signatureResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  });

  it('GIVEN an image signed with an Ed25519 key by older cosign (pure Ed25519) WHEN verified THEN verified', async () => {
    const digest = await pushImage(registry.url, 'team/edpure');
    const key = generateSigningKey('ed25519');
    await signTestImage(registry.url, 'team/edpure', digest, { key, via: 'tag', variant: 'pure' });
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/edpure',
      digest,
      keys: [verificationKey(key)],
    });
    expect(result).toMatchObject({ outcome: 'verified', verified: true });
  });

  it('GIVEN an image signed with an Ed25519 key as cosign signs today (Ed25519ph) WHEN verified with it THEN verified', async () => {
    const digest = await pushImage(registry.url, 'team/ed');
    const key = generateSigningKey('ed25519');
    await signTestImage(registry.url, 'team/ed', digest, { key, via: 'tag' });
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/ed',
      digest,
      keys: [verificationKey(key)],
    });
    expect(result).toMatchObject({ outcome: 'verified', verified: true, keyId: verificationKey(key).fingerprint });
    expect(result.reason).toContain('(ed25519)');
  });

  it('GIVEN an ECDSA signature encoded as raw r||s WHEN verified THEN verified like a DER one', async () => {
    const digest = await pushImage(registry.url, 'team/raw');
    const key = generateSigningKey('ecdsa-p256');
    await signTestImage(registry.url, 'team/raw', digest, { key, via: 'tag', variant: 'raw' });
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/raw',
      digest,
      keys: [verificationKey(key)],
    });
    expect(result.verified).toBe(true);
  });

  it('GIVEN an OCI 1.1 referrer signature WHEN verified THEN found through the referrers tag schema (sha256-<hex>)', async () => {
    // GIVEN
    const digest = await pushImage(registry.url, 'team/ref');
    const key = generateSigningKey('ecdsa-p256');
    const attached = await signTestImage(registry.url, 'team/ref', digest, { key, via: 'referrer' });
    expect(attached.referrer?.fallbackTag).toBe(digest.replace(':', '-'));
    // WHEN
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/ref',
      digest,
      keys: [verificationKey(key)],
    });
    // THEN
    expect(result).toMatchObject({ verified: true, outcome: 'verified' });
    expect(result.reason).toContain('found through the OCI referrers of the digest');
    expect(result.evidence.lookups.map((l) => [l.via, l.found])).toEqual([
      ['referrers', 1],
      ['referrers', 0],
      ['tag', 0],
    ]);
  });

  it('GIVEN a cosign v3 Sigstore bundle signature WHEN verified THEN found through the referrers tag schema and verified', async () => {
    // GIVEN
    const digest = await pushImage(registry.url, 'team/bundle');
    const key = generateSigningKey('ecdsa-p256');
    const attached = await signTestImage(registry.url, 'team/bundle', digest, { key, format: 'bundle' });
    // WHEN
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/bundle',
      digest,
      keys: [verificationKey(key, 'v3')],
    });
    // THEN
    expect(result).toMatchObject({ verified: true, keyId: 'v3' });
    expect(result.predicateType).toBeUndefined();
    expect(result.evidence.candidates).toEqual([
      expect.objectContaining({ via: 'referrers', manifest: attached.referrer?.manifest, signedDigest: digest }),
    ]);
    expect(result.evidence.lookups.map((l) => [l.via, l.found])).toEqual([
      ['referrers', 0],
      ['referrers', 1],
      ['tag', 0],
    ]);
  });

  it('GIVEN a payload changed after signing (the signature of image A, the payload edited to name image B) WHEN B is verified THEN refused: signature_invalid', async () => {
    // GIVEN
    const a = await pushImage(registry.url, 'team/forged');
    const b = await pushImage(registry.url, 'team/forged');
    const key = generateSigningKey('ecdsa-p256');
    await signTestImage(registry.url, 'team/forged', b, {
      key,
      via: 'tag',
      payload: simpleSigningPayload(a, `${registry.host}/team/forged`),
      tamper: (p) => new TextEncoder().encode(new TextDecoder().decode(p).replace(a, b)),
    });
    // WHEN
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/forged',
      digest: b,
      keys: [verificationKey(key, 'release')],
    });
    // THEN
    expect(result).toMatchObject({ outcome: 'refused', verified: false, code: 'signature_invalid' });
    expect(result.reason).toBe(
      'the signature does not verify with the configured key release (signed with another key, or the payload was changed after signing)',
    );
    expect(result.keyId).toBeUndefined();
  });

  it('GIVEN an image signed with another key WHEN verified with the configured key THEN refused: signature_invalid', async () => {
    const digest = await pushImage(registry.url, 'team/otherkey');
    await signTestImage(registry.url, 'team/otherkey', digest, { key: generateSigningKey('ecdsa-p256'), via: 'tag' });
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/otherkey',
      digest,
      keys: [
        verificationKey(generateSigningKey('ecdsa-p256'), 'a'),
        verificationKey(generateSigningKey('ed25519'), 'b'),
      ],
    });
    expect(result).toMatchObject({ outcome: 'refused', verified: false, code: 'signature_invalid' });
    expect(result.reason).toContain('does not verify with any of the 2 configured keys');
  });

  it("GIVEN another image's signature copied to this image's .sig tag WHEN verified THEN refused: digest_mismatch naming the signed image", async () => {
    // GIVEN: A is signed; its signature manifest is copied, as is, under B's tag
    const a = await pushImage(registry.url, 'team/copied');
    const b = await pushImage(registry.url, 'team/copied');
    const key = generateSigningKey('ed25519');
    await signTestImage(registry.url, 'team/copied', a, { key, via: 'tag' });
    const c = client(registry.url);
    const signatures = await c.manifest('team/copied', cosignTag(a, 'signature'));
    await c.pushManifest('team/copied', cosignTag(b, 'signature'), signatures.body, MEDIA_TYPES.ociManifest);
    // WHEN
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/copied',
      digest: b,
      keys: [verificationKey(key, 'k')],
    });
    // THEN: the key did sign it, for A
    expect(result).toMatchObject({ outcome: 'refused', verified: false, code: 'digest_mismatch' });
    expect(result.reason).toBe(`the signature is for image ${a}, not ${b} (copied from another image)`);
    expect(result.evidence.candidates[0]).toMatchObject({ keyId: 'k', signedDigest: a });
  });

  it('GIVEN an unsigned image WHEN verified THEN refused: unsigned, naming where it looked and how to sign', async () => {
    const digest = await pushImage(registry.url, 'team/unsigned');
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/unsigned',
      digest,
      keys: [verificationKey(generateSigningKey())],
    });
    expect(result).toMatchObject({ outcome: 'refused', verified: false, code: 'unsigned' });
    expect(result.reason).toBe(
      `no signature is attached to ${digest} (looked at the OCI referrers of the digest and the tag team/unsigned:${cosignTag(digest, 'signature')}); sign it with \`cosign sign --key\``,
    );
    expect(result.evidence.candidates).toEqual([]);
  });

  it('GIVEN two signatures under one tag, by an unknown key and by the configured one WHEN verified THEN verified by the configured one', async () => {
    const digest = await pushImage(registry.url, 'team/two');
    const stranger = generateSigningKey('ecdsa-p256');
    const release = generateSigningKey('ed25519');
    await signTestImage(registry.url, 'team/two', digest, { key: stranger, via: 'tag' });
    const second = await signTestImage(registry.url, 'team/two', digest, { key: release, via: 'tag' });
    const manifest = await client(registry.url).manifest('team/two', second.tag?.name ?? '');
    expect(manifest.kind === 'manifest' && manifest.body.layers.length).toBe(2);
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/two',
      digest,
      keys: [verificationKey(release, 'release')],
    });
    expect(result).toMatchObject({ verified: true, keyId: 'release' });
    expect(result.evidence.candidates.map((c) => c.code)).toEqual(['signature_invalid', 'verified']);
  });

  it('GIVEN signatures kept in another repository (COSIGN_REPOSITORY) WHEN verified with signatureRepository THEN verified there', async () => {
    const digest = await pushImage(registry.url, 'team/svc');
    const key = generateSigningKey('ecdsa-p256');
    // the signature references the image by digest only, so it can live anywhere
    await pushImage(registry.url, 'signatures/svc');
    await signTestImage(registry.url, 'signatures/svc', digest, {
      key,
      via: 'tag',
      payload: simpleSigningPayload(digest, `${registry.host}/team/svc`),
    });
    const base = { registry: client(registry.url), repository: 'team/svc', digest, keys: [verificationKey(key)] };
    expect((await verifySignature(base)).code).toBe('unsigned');
    const result = await verifySignature({ ...base, signatureRepository: 'signatures/svc' });
    expect(result).toMatchObject({ verified: true, evidence: { signatureRepository: 'signatures/svc' } });
  });

  it('GIVEN no configured key WHEN verified THEN refused: no_keys, and nothing passes', async () => {
    const digest = await pushImage(registry.url, 'team/nokeys');
    await signTestImage(registry.url, 'team/nokeys', digest, { key: generateSigningKey(), via: 'tag' });
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/nokeys',
      digest,
      keys: [],
    });
    expect(result).toMatchObject({ verified: false, outcome: 'refused', code: 'no_keys' });
  });
  it('GIVEN an aborted signal WHEN verified THEN it rejects with the abort reason: no verdict to record', async () => {
    const digest = await pushImage(registry.url, 'team/abort');
    const key = generateSigningKey();
    await signTestImage(registry.url, 'team/abort', digest, { key, via: 'tag' });
    const controller = new AbortController();
    const why = new Error('shutting down');
    controller.abort(why);
    const checking = verifySignature({
      registry: client(registry.url),
      repository: 'team/abort',
      digest,
      keys: [verificationKey(key)],
      signal: controller.signal,
    });
    await expect(checking).rejects.toBe(why);
  });

  it("GIVEN a digest that is not sha256:<hex> WHEN verified THEN invalid_reference, the caller's mistake", async () => {
    const checking = verifySignature({
      registry: client(registry.url),
      repository: 'team/app',
      digest: 'latest',
      keys: [verificationKey(generateSigningKey())],
    });
    await expect(checking).rejects.toMatchObject({ code: 'invalid_reference' });
  });
});

describe.skipIf(!hasTool('docker-registry'))('a registry that is down', () => {
  it('GIVEN a signed image and its registry stopped WHEN verified THEN unavailable: not evaluated, never verified', async () => {
    // GIVEN
    const registry = await startRegistry();
    const digest = await pushImage(registry.url, 'team/down');
    const key = generateSigningKey('ecdsa-p256');
    await signTestImage(registry.url, 'team/down', digest, { key });
    await registry.stop();
    // WHEN
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/down',
      digest,
      keys: [verificationKey(key)],
    });
    // THEN
    expect(result).toMatchObject({ outcome: 'unavailable', verified: false, code: 'unavailable' });
    expect(result.reason).toMatch(
      /^the signature check could not be evaluated: registry .* is unreachable at .*; the gate holds until the registry answers$/,
    );
    expect(result.evidence.lookups.every((l) => l.error?.code === 'registry_unreachable')).toBe(true);
  });
});
