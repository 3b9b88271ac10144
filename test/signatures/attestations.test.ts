import { cosignTag, PREDICATE_TYPES, verifyAttestation } from '@gantry/signatures';
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

const SLSA: string = PREDICATE_TYPES.slsaProvenanceV1;
const SPDX = 'https://spdx.dev/Document';

/** Attestations as `cosign attest --key` writes them (`.att` tag, DSSE + in-toto), on Debian's docker-registry. */
describe.skipIf(!hasTool('docker-registry'))('in-toto attestations under the .att tag', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry?.stop());

  const check = (
    repository: string,
    digest: string,
    keys: ReturnType<typeof verificationKey>[],
    predicateType = SLSA,
  ) => verifyAttestation({ registry: client(registry.url), repository, digest, keys, predicateType });

  it('GIVEN a SLSA provenance attestation signed with the key WHEN SLSA provenance is required THEN verified, with its predicate type', async () => {
    // GIVEN
    const digest = await pushImage(registry.url, 'team/att');
    const key = generateSigningKey('ecdsa-p256');
    const attached = await attestTestImage(registry.url, 'team/att', digest, { key, via: 'tag' });
    // WHEN
    const result = await check('team/att', digest, [verificationKey(key, 'ci')]);
    // THEN
    expect(result).toMatchObject({
      kind: 'attestation',
      outcome: 'verified',
      verified: true,
      keyId: 'ci',
      predicateType: SLSA,
      evidence: { requiredPredicateType: SLSA },
    });
    expect(result.reason).toBe(
      `attestation of ${SLSA} signed by key ci (ecdsa-p256), found through the cosign tag team/att:${cosignTag(digest, 'attestation')}`,
    );
    expect(result.evidence.candidates).toEqual([
      expect.objectContaining({ layer: attached.layer, status: 'verified' }),
    ]);
  });

  it('GIVEN an attestation of another predicate type WHEN SLSA provenance is required THEN refused: predicate_type_mismatch', async () => {
    const digest = await pushImage(registry.url, 'team/spdx');
    const key = generateSigningKey('ed25519');
    const statement = { ...slsaProvenanceStatement(digest, 'team/spdx'), predicateType: SPDX, predicate: {} };
    await attestTestImage(registry.url, 'team/spdx', digest, { key, via: 'tag', statement });
    const result = await check('team/spdx', digest, [verificationKey(key, 'ci')]);
    expect(result).toMatchObject({ outcome: 'refused', verified: false, code: 'predicate_type_mismatch' });
    expect(result.predicateType).toBeUndefined();
    expect(result.reason).toBe(`the attestation's predicate type is "${SPDX}", not "${SLSA}"`);
    // the same attestation passes a gate that asks for its type
    expect((await check('team/spdx', digest, [verificationKey(key)], SPDX)).verified).toBe(true);
  });

  it('GIVEN a statement changed after signing WHEN verified THEN refused: signature_invalid', async () => {
    const digest = await pushImage(registry.url, 'team/attforged');
    const key = generateSigningKey('ecdsa-p256');
    await attestTestImage(registry.url, 'team/attforged', digest, {
      key,
      via: 'tag',
      tamper: (p) => new TextEncoder().encode(new TextDecoder().decode(p).replace('builder@v1', 'evil@v1')),
    });
    const result = await check('team/attforged', digest, [verificationKey(key)]);
    expect(result).toMatchObject({ verified: false, code: 'signature_invalid' });
    expect(result.reason).toContain('the statement was changed after signing');
  });

  it('GIVEN an attestation whose statement is about another image WHEN verified THEN refused: digest_mismatch', async () => {
    const digest = await pushImage(registry.url, 'team/attother');
    const other = await pushImage(registry.url, 'team/attother');
    const key = generateSigningKey('ecdsa-p256');
    const statement = slsaProvenanceStatement(other, 'team/attother');
    await attestTestImage(registry.url, 'team/attother', digest, { key, via: 'tag', statement });
    const result = await check('team/attother', digest, [verificationKey(key)]);
    expect(result).toMatchObject({ verified: false, code: 'digest_mismatch' });
    expect(result.reason).toContain(`(${other}) do not include ${digest}`);
  });

  it('GIVEN an image that is signed but not attested WHEN an attestation is required THEN refused: unsigned (a signature is no attestation)', async () => {
    const digest = await pushImage(registry.url, 'team/signedonly');
    const key = generateSigningKey('ecdsa-p256');
    await signTestImage(registry.url, 'team/signedonly', digest, { key });
    const result = await check('team/signedonly', digest, [verificationKey(key)]);
    expect(result).toMatchObject({ verified: false, code: 'unsigned' });
    expect(result.reason).toMatch(
      /^no attestation is attached .* attach one with `cosign attest --key … --type https:\/\/slsa.dev\/provenance\/v1`$/,
    );
  });

  it('GIVEN two attestations, SPDX and SLSA, appended under one tag WHEN SLSA is required THEN the SLSA one verifies', async () => {
    const digest = await pushImage(registry.url, 'team/twoatt');
    const key = generateSigningKey('ed25519');
    const spdx = { ...slsaProvenanceStatement(digest, 'team/twoatt'), predicateType: SPDX };
    await attestTestImage(registry.url, 'team/twoatt', digest, { key, via: 'tag', statement: spdx });
    await attestTestImage(registry.url, 'team/twoatt', digest, { key, via: 'tag' });
    const result = await check('team/twoatt', digest, [verificationKey(key)]);
    expect(result).toMatchObject({ verified: true, predicateType: SLSA });
    expect(result.evidence.candidates.map((c) => c.code)).toEqual(['predicate_type_mismatch', 'verified']);
  });
});
