import { z } from 'zod';
import { COSIGN } from './media-types.js';

/**
 * The "simple signing" payload (containers/image `containers-signature.5`, JSON data
 * format) as cosign writes it. Keys are matched exactly as specified, lower case: a
 * payload that spells them otherwise is not one cosign wrote.
 */
const simpleSigningSchema = z.object({
  critical: z.object({
    identity: z.object({ 'docker-reference': z.string().optional() }).loose().optional(),
    image: z.object({ 'docker-manifest-digest': z.string() }).loose(),
    type: z.string(),
  }),
  optional: z.record(z.string(), z.unknown()).nullish(),
});

export type SimpleSigningCheck =
  | { readonly ok: true; readonly signedDigest: string; readonly dockerReference?: string }
  | {
      readonly ok: false;
      readonly code: 'payload_invalid' | 'digest_mismatch';
      readonly message: string;
      readonly signedDigest?: string;
    };

/**
 * Checks a payload whose signature already verified: that it is a cosign image
 * signature and that it was made for `digest`. `critical.identity.docker-reference`
 * is ignored, as cosign's specification says: a signature follows the digest to any
 * repository it is copied to.
 */
export function checkSimpleSigning(bytes: Uint8Array, digest: string): SimpleSigningCheck {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, code: 'payload_invalid', message: 'the signed payload is not JSON' };
  }
  const parsed = simpleSigningSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      code: 'payload_invalid',
      message: `the signed payload is not a simple-signing payload (${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'})`,
    };
  }
  const { critical } = parsed.data;
  const signedDigest = critical.image['docker-manifest-digest'];
  if (critical.type !== COSIGN.signatureType) {
    return {
      ok: false,
      code: 'payload_invalid',
      message: `the signed payload's critical.type is "${critical.type}", not "${COSIGN.signatureType}"`,
      signedDigest,
    };
  }
  if (signedDigest !== digest) {
    return {
      ok: false,
      code: 'digest_mismatch',
      message: `the signature is for image ${signedDigest}, not ${digest} (copied from another image)`,
      signedDigest,
    };
  }
  const ref = critical.identity?.['docker-reference'];
  return { ok: true, signedDigest, ...(ref ? { dockerReference: ref } : {}) };
}
