import { verify } from 'node:crypto';
import type { VerificationKey } from './public-key.js';

const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

/**
 * Decodes standard or URL-safe base64 (padding optional), or `undefined` when the
 * text is anything else: Node's own decoder skips characters it does not know, so
 * "garbage" would decode to some bytes rather than be refused.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || !BASE64.test(trimmed) || trimmed.replace(/=+$/, '').length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
}

function attempt(run: () => boolean): boolean {
  try {
    return run();
  } catch {
    // a signature that does not even decode (bad DER, wrong length) does not verify
    return false;
  }
}

/**
 * Whether `signature` is `key`'s signature over exactly `data`. ECDSA P-256 uses
 * SHA-256 (cosign's rule: the registry's hash); cosign emits ASN.1 DER, other signers
 * the raw 64-byte r||s, and both encodings of a valid signature are accepted.
 * Ed25519 is pure Ed25519 over the data.
 */
export function verifyBytes(key: VerificationKey, data: Uint8Array, signature: Uint8Array): boolean {
  if (key.algorithm === 'ed25519') return attempt(() => verify(null, data, key.key, signature));
  if (attempt(() => verify('sha256', data, { key: key.key, dsaEncoding: 'der' }, signature))) return true;
  return (
    signature.byteLength === 64 &&
    attempt(() => verify('sha256', data, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature))
  );
}

/** The first key that verifies the signature, if any. */
export function findVerifyingKey(
  keys: readonly VerificationKey[],
  data: Uint8Array,
  signature: Uint8Array,
): VerificationKey | undefined {
  return keys.find((k) => verifyBytes(k, data, signature));
}
