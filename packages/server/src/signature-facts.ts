import type { System } from '@gantry/core';
import type { SignatureGate } from '@gantry/gates';
import type { Registries } from '@gantry/oci';
import type { SignatureResult, VerificationKey } from '@gantry/signatures';
import { parsePublicKey, verifyImage } from '@gantry/signatures';
import { imageHome } from './image-home.js';

const keysOf = (gate: SignatureGate): VerificationKey[] =>
  gate.keys.flatMap((k) => {
    const parsed = parsePublicKey(k.publicKey, k.id);
    return parsed.ok ? [parsed.key] : [];
  });

/**
 * The effectful half of signature gates: each gate's signature or attestation looked up in
 * the registry the pipeline's images come from and verified with the gate's keys. The
 * results are facts the gates then judge purely; a registry that cannot be asked gives an
 * `unavailable` result, on which a gate waits and never passes.
 */
export function signatureFacts(system: System, registries: Registries) {
  return async (q: {
    pipeline: string;
    digest: string;
    gates: readonly unknown[];
  }): Promise<readonly (SignatureResult & { gate: string })[]> => {
    const home = imageHome(system, q.pipeline);
    const gates = (q.gates as readonly { kind: string; name: string }[]).filter(
      (g): g is SignatureGate & { name: string } => g.kind === 'signature',
    );
    if (!home || gates.length === 0) return [];
    const registry = registries.get(home.registry);
    return Promise.all(
      gates.map(async (gate) => {
        const result = await verifyImage(
          gate.predicateType ? { kind: 'attestation', predicateType: gate.predicateType } : { kind: 'signature' },
          { registry, repository: home.repository, digest: q.digest, keys: keysOf(gate) },
        );
        return { ...result, gate: gate.name };
      }),
    );
  };
}
