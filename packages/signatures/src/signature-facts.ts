import type { System } from '@gantry/core';
import type { Registries } from '@gantry/oci';
import { imageHome } from '@gantry/oci';
import type { VerificationKey } from './public-key.js';
import { parsePublicKey } from './public-key.js';
import type { SignatureResult } from './result.js';
import { verifyImage } from './verify-image.js';

/**
 * What a lookup needs of a signature gate: `@gantry/gates`' parsed `SignatureGate` fits, and so
 * does a gate written as code before its parse (its name then defaults as the parse would).
 */
export interface SignatureGateSpec {
  readonly kind: 'signature';
  readonly name?: string;
  readonly keys: readonly { readonly id: string; readonly publicKey: string }[];
  readonly predicateType?: string;
}

/** A signature check for one gate: the facts signature gates are judged on. */
export type SignatureFact = SignatureResult & { readonly gate: string };

const keysOf = (gate: SignatureGateSpec): VerificationKey[] =>
  gate.keys.flatMap((k) => {
    const parsed = parsePublicKey(k.publicKey, k.id);
    return parsed.ok ? [parsed.key] : [];
  });

const isSignatureGate = (g: unknown): g is SignatureGateSpec =>
  (g as { kind?: unknown } | null)?.kind === 'signature' && Array.isArray((g as { keys?: unknown }).keys);

/**
 * The effectful half of signature gates, the same for `gantry serve` and a local CLI command:
 * each gate's signature or attestation looked up in the registry the pipeline's images come
 * from and verified with the gate's keys. The results are facts the gates then judge purely; a
 * registry that cannot be asked gives an `unavailable` result, on which a gate waits and never
 * passes. A pipeline without an OCI source has no image to look at: no facts, and its
 * signature gates block saying so.
 */
export function signatureFacts(system: System, registries: Registries) {
  return async (q: {
    pipeline: string;
    digest: string;
    gates: readonly unknown[];
  }): Promise<readonly SignatureFact[]> => {
    const home = imageHome(system, q.pipeline);
    const gates = q.gates.filter(isSignatureGate);
    if (!home || gates.length === 0) return [];
    const registry = registries.get(home.registry);
    return Promise.all(
      gates.map(async (gate) => {
        const result = await verifyImage(
          gate.predicateType ? { kind: 'attestation', predicateType: gate.predicateType } : { kind: 'signature' },
          { registry, repository: home.repository, digest: q.digest, keys: keysOf(gate) },
        );
        return { ...result, gate: gate.name ?? 'signature' };
      }),
    );
  };
}
