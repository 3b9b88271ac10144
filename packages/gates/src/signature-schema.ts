import { z } from 'zod';
import { remember } from './compiled.js';
import { gateNameSchema } from './gate-name.js';

export interface CompiledSignature {
  readonly keyIds: ReadonlySet<string>;
}

const PEM_PUBLIC_KEY = /-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/;

/**
 * `signature`: the version's digest must carry a signature (cosign's simple-signing
 * payload), or with `predicateType` an in-toto attestation of that predicate type,
 * that verifies with one of `keys`. Verification itself (finding the signature in the
 * registry, checking it cryptographically) is done by `@gantry/signatures` and recorded;
 * this gate reads the recorded results.
 */
export const signatureGateSchema = z
  .strictObject({
    kind: z.literal('signature'),
    name: gateNameSchema.optional(),
    keys: z
      .array(
        z.strictObject({
          id: z.string().trim().min(1).max(200).describe('How verdicts name the key, e.g. release-2025.'),
          publicKey: z
            .string()
            .regex(PEM_PUBLIC_KEY, 'a PEM public key (-----BEGIN PUBLIC KEY----- ...), e.g. the contents of cosign.pub')
            .describe('The PEM public key (ECDSA P-256 or Ed25519), e.g. the contents of cosign.pub.'),
        }),
      )
      .min(1, 'at least one public key')
      .describe('Public keys a signature may verify with; one is enough.'),
    predicateType: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('Require an attestation of this predicate type, e.g. https://slsa.dev/provenance/v1.'),
  })
  .transform((g, ctx) => {
    const seen = new Map<string, number>();
    g.keys.forEach((k, i) => {
      const first = seen.get(k.id);
      if (first === undefined) seen.set(k.id, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['keys', i, 'id'],
          message: `key id "${k.id}" is already used by key ${first}`,
          input: k.id,
        });
      }
    });
    if (seen.size !== g.keys.length) return z.NEVER;
    return remember({ ...g, name: g.name ?? 'signature' }, {
      keyIds: new Set(seen.keys()),
    } satisfies CompiledSignature);
  });

export type SignatureGateInput = z.input<typeof signatureGateSchema>;
export type SignatureGate = z.output<typeof signatureGateSchema>;
