import { COSIGN, PREDICATE_TYPES, SIGSTORE_BUNDLE, verifyAttestation, verifySignature } from '@gantry/signatures';
import type { TestRegistry } from '@gantry/testing';
import {
  attestTestImage,
  generateSigningKey,
  hasTool,
  signTestImage,
  slsaProvenanceStatement,
  startRegistry,
} from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, pushImage, verificationKey } from './helpers.js';
import type { ReferrersRegistry } from './referrers-registry.js';
import { startReferrersRegistry } from './referrers-registry.js';

/** Signatures and attestations as OCI 1.1 referrers, on a registry that serves the referrers API. */
describe.skipIf(!hasTool('docker-registry'))('signatures through the OCI referrers API', () => {
  let storage: TestRegistry;
  let registry: ReferrersRegistry;
  beforeAll(async () => {
    storage = await startRegistry();
    registry = await startReferrersRegistry(storage.url);
  });
  afterAll(async () => {
    await registry?.stop();
    await storage?.stop();
  });

  it('GIVEN a signature and an attestation attached as referrers WHEN the signature is verified THEN the API is asked for signatures only, and it verifies', async () => {
    // GIVEN
    const digest = await pushImage(registry.url, 'team/app');
    const key = generateSigningKey('ecdsa-p256');
    const signed = await signTestImage(registry.url, 'team/app', digest, { key, via: 'referrer' });
    await attestTestImage(registry.url, 'team/app', digest, { key, via: 'referrer' });
    // the registry took them as referrers: no tag-schema index was needed
    expect(signed.referrer).toEqual({ manifest: expect.stringMatching(/^sha256:/) });
    // WHEN
    const before = registry.referrersRequests.length;
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/app',
      digest,
      keys: [verificationKey(key, 'release')],
    });
    // THEN
    expect(registry.referrersRequests.slice(before)).toEqual([
      { digest, artifactType: COSIGN.signatureArtifactType },
      { digest, artifactType: SIGSTORE_BUNDLE.v03 },
    ]);
    expect(result).toMatchObject({ verified: true, keyId: 'release' });
    expect(result.reason).toBe('signed by key release (ecdsa-p256), found through the OCI referrers of the digest');
    expect(result.evidence.lookups.map((l) => [l.via, l.found])).toEqual([
      ['referrers', 1],
      ['referrers', 0],
      ['tag', 0],
    ]);
    expect(result.evidence.candidates).toEqual([
      expect.objectContaining({ via: 'referrers', manifest: signed.referrer?.manifest }),
    ]);
  });

  it('GIVEN an Ed25519 SLSA attestation as a referrer WHEN verified THEN verified through the referrers API', async () => {
    const digest = await pushImage(registry.url, 'team/att');
    const key = generateSigningKey('ed25519');
    await attestTestImage(registry.url, 'team/att', digest, { key, via: 'referrer' });
    const result = await verifyAttestation({
      registry: client(registry.url),
      repository: 'team/att',
      digest,
      keys: [verificationKey(key, 'ci')],
      predicateType: PREDICATE_TYPES.slsaProvenanceV1,
    });
    expect(result).toMatchObject({ verified: true, keyId: 'ci', predicateType: PREDICATE_TYPES.slsaProvenanceV1 });
    expect(result.evidence.candidates[0]?.via).toBe('referrers');
  });

  it('GIVEN a referrer signature by another key WHEN verified THEN refused: signature_invalid', async () => {
    const digest = await pushImage(registry.url, 'team/other');
    await signTestImage(registry.url, 'team/other', digest, { key: generateSigningKey('ed25519'), via: 'referrer' });
    const result = await verifySignature({
      registry: client(registry.url),
      repository: 'team/other',
      digest,
      keys: [verificationKey(generateSigningKey('ed25519'))],
    });
    expect(result).toMatchObject({ verified: false, outcome: 'refused', code: 'signature_invalid' });
  });
  it('GIVEN cosign v3 bundles, a signature and a SLSA attestation, WHEN each is required THEN each verifies, and neither stands in for the other', async () => {
    // GIVEN
    const signedOnly = await pushImage(registry.url, 'team/v3');
    const attestedOnly = await pushImage(registry.url, 'team/v3');
    const key = generateSigningKey('ecdsa-p256');
    await signTestImage(registry.url, 'team/v3', signedOnly, { key, format: 'bundle' });
    await attestTestImage(registry.url, 'team/v3', attestedOnly, { key, format: 'bundle' });
    const base = { registry: client(registry.url), repository: 'team/v3', keys: [verificationKey(key, 'v3')] };
    const slsa = { predicateType: PREDICATE_TYPES.slsaProvenanceV1 };
    // WHEN / THEN
    expect(await verifySignature({ ...base, digest: signedOnly })).toMatchObject({ verified: true, keyId: 'v3' });
    expect(await verifyAttestation({ ...base, ...slsa, digest: attestedOnly })).toMatchObject({
      verified: true,
      predicateType: PREDICATE_TYPES.slsaProvenanceV1,
    });
    expect(await verifySignature({ ...base, digest: attestedOnly })).toMatchObject({
      verified: false,
      code: 'unsigned',
    });
    expect(await verifyAttestation({ ...base, ...slsa, digest: signedOnly })).toMatchObject({
      verified: false,
      code: 'unsigned',
    });
  });

  it('GIVEN a cosign v3 bundle attestation of another predicate type, or changed after signing WHEN SLSA is required THEN refused with each reason', async () => {
    const spdx = await pushImage(registry.url, 'team/v3bad');
    const forged = await pushImage(registry.url, 'team/v3bad');
    const key = generateSigningKey('ed25519');
    const statement = { ...slsaProvenanceStatement(spdx, 'team/v3bad'), predicateType: 'https://spdx.dev/Document' };
    await attestTestImage(registry.url, 'team/v3bad', spdx, { key, format: 'bundle', statement });
    await attestTestImage(registry.url, 'team/v3bad', forged, {
      key,
      format: 'bundle',
      tamper: (p) => new TextEncoder().encode(new TextDecoder().decode(p).replace('run-1', 'run-2')),
    });
    const check = (digest: string) =>
      verifyAttestation({
        registry: client(registry.url),
        repository: 'team/v3bad',
        digest,
        keys: [verificationKey(key)],
        predicateType: PREDICATE_TYPES.slsaProvenanceV1,
      });
    expect(await check(spdx)).toMatchObject({ verified: false, code: 'predicate_type_mismatch' });
    expect(await check(forged)).toMatchObject({ verified: false, code: 'signature_invalid' });
  });
});

describe.skipIf(!hasTool('docker-registry'))('a referrers API that fails', () => {
  let storage: TestRegistry;
  beforeAll(async () => {
    storage = await startRegistry();
  });
  afterAll(() => storage?.stop());

  const failingReferrers = () =>
    startReferrersRegistry(storage.url, { fail: (r) => (r.path.includes('/referrers/') ? 500 : undefined) });

  it('GIVEN a referrers API answering 500 and no .sig tag WHEN verified THEN unavailable, not unsigned', async () => {
    // GIVEN
    const registry = await failingReferrers();
    try {
      const digest = await pushImage(registry.url, 'team/broken');
      // WHEN
      const result = await verifySignature({
        registry: client(registry.url),
        repository: 'team/broken',
        digest,
        keys: [verificationKey(generateSigningKey())],
      });
      // THEN
      expect(result).toMatchObject({ outcome: 'unavailable', verified: false, code: 'unavailable' });
      expect(result.reason).toMatch(/could not be evaluated: registry .* answered HTTP 500 for the referrers of/);
    } finally {
      await registry.stop();
    }
  });

  it('GIVEN a referrers API answering 500 but a valid .sig tag WHEN verified THEN verified: what could be read is enough', async () => {
    const registry = await failingReferrers();
    try {
      const digest = await pushImage(registry.url, 'team/tagged');
      const key = generateSigningKey('ecdsa-p256');
      await signTestImage(registry.url, 'team/tagged', digest, { key, via: 'tag' });
      const result = await verifySignature({
        registry: client(registry.url),
        repository: 'team/tagged',
        digest,
        keys: [verificationKey(key)],
      });
      expect(result).toMatchObject({ outcome: 'verified', verified: true });
      expect(result.evidence.lookups[0]?.error?.code).toBe('registry_error');
    } finally {
      await registry.stop();
    }
  });

  it('GIVEN a referrers API answering 500 and a .sig by another key WHEN verified THEN unavailable: a valid referrer may be the one unread', async () => {
    const registry = await failingReferrers();
    try {
      const digest = await pushImage(registry.url, 'team/half');
      await signTestImage(registry.url, 'team/half', digest, { key: generateSigningKey(), via: 'tag' });
      const result = await verifySignature({
        registry: client(registry.url),
        repository: 'team/half',
        digest,
        keys: [verificationKey(generateSigningKey())],
      });
      expect(result).toMatchObject({ outcome: 'unavailable', verified: false });
      expect(result.evidence.candidates.map((c) => c.code)).toEqual(['signature_invalid']);
    } finally {
      await registry.stop();
    }
  });
});
