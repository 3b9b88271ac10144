import type { GateFacts, SignatureGate } from '@gantry/gates';
import { evaluateGates, parseGate } from '@gantry/gates';
import type { SignatureResult, VerificationKey } from '@gantry/signatures';
import { parsePublicKey, verifyImage } from '@gantry/signatures';
import type { TestRegistry } from '@gantry/testing';
import { attestTestImage, generateSigningKey, hasTool, signTestImage, startRegistry } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, pushImage } from './helpers.js';

/** The gate's keys as verification keys, each named by its configured id. */
function keysOf(gate: SignatureGate): VerificationKey[] {
  return gate.keys.map((k) => {
    const parsed = parsePublicKey(k.publicKey, k.id);
    if (!parsed.ok) throw new Error(`${k.id} ${parsed.message}`);
    return parsed.key;
  });
}

const facts = (digest: string, signatures: readonly SignatureResult[]): GateFacts => ({
  now: new Date('2026-01-05T10:00:00Z'),
  request: { trigger: 'policy' },
  version: { digest },
  signatures,
});

/**
 * The contract with the signature gate (@gantry/gates): a result of this package is
 * recorded as is and read by the gate, which passes, blocks or waits on it.
 */
describe.skipIf(!hasTool('docker-registry'))('a signature gate reading the results', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry?.stop());

  const check = (gate: SignatureGate, repository: string, digest: string) =>
    verifyImage(
      gate.predicateType ? { kind: 'attestation', predicateType: gate.predicateType } : { kind: 'signature' },
      {
        registry: client(registry.url),
        repository,
        digest,
        keys: keysOf(gate),
      },
    );

  it('GIVEN a gate naming the release key WHEN the image is signed with it, and then not THEN the gate passes, then blocks', async () => {
    // GIVEN
    const release = generateSigningKey('ecdsa-p256');
    const gate = parseGate({ kind: 'signature', keys: [{ id: 'release', publicKey: release.publicKeyPem }] });
    if (gate.kind !== 'signature') throw new Error('expected a signature gate');
    const signed = await pushImage(registry.url, 'team/gated');
    const unsigned = await pushImage(registry.url, 'team/gated');
    await signTestImage(registry.url, 'team/gated', signed, { key: release });
    // WHEN
    const passed = evaluateGates([gate], facts(signed, [await check(gate, 'team/gated', signed)]));
    const blocked = evaluateGates([gate], facts(unsigned, [await check(gate, 'team/gated', unsigned)]));
    // THEN
    expect(passed).toEqual([
      expect.objectContaining({ outcome: 'pass', reason: 'a signature verified with key release' }),
    ]);
    expect(blocked).toEqual([expect.objectContaining({ outcome: 'block' })]);
    expect(blocked[0]?.reason).toContain('no signature is attached');
  });

  it('GIVEN an attestation gate WHEN the registry is down THEN the gate waits and says the check could not be done', async () => {
    const ci = generateSigningKey('ed25519');
    const gate = parseGate({
      kind: 'signature',
      keys: [{ id: 'ci', publicKey: ci.publicKeyPem }],
      predicateType: 'https://slsa.dev/provenance/v1',
    });
    if (gate.kind !== 'signature') throw new Error('expected a signature gate');
    const down = await startRegistry();
    const digest = await pushImage(down.url, 'team/att');
    await attestTestImage(down.url, 'team/att', digest, { key: ci });
    const before = await verifyImage(
      { kind: 'attestation', predicateType: 'https://slsa.dev/provenance/v1' },
      { registry: client(down.url), repository: 'team/att', digest, keys: keysOf(gate) },
    );
    await down.stop();
    const after = await verifyImage(
      { kind: 'attestation', predicateType: 'https://slsa.dev/provenance/v1' },
      { registry: client(down.url), repository: 'team/att', digest, keys: keysOf(gate) },
    );
    expect(evaluateGates([gate], facts(digest, [before]))[0]?.outcome).toBe('pass');
    const waiting = evaluateGates([gate], facts(digest, [after]))[0];
    expect(waiting).toMatchObject({ outcome: 'wait' });
    expect(waiting?.reason).toContain('could not be evaluated');
  });
});
