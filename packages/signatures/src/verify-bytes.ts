import { verify } from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
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

/** The 32 raw bytes of an Ed25519 public key. */
function rawEd25519(key: VerificationKey): Uint8Array {
  const { x } = key.key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(x ?? '', 'base64url'));
}

/**
 * Whether `signature` is `key`'s signature over exactly `data`. ECDSA P-256 uses
 * SHA-256 (cosign's rule: the registry's hash); cosign emits ASN.1 DER, other signers
 * the raw 64-byte r||s, and both encodings of a valid signature are accepted.
 * Ed25519 is pure Ed25519 (older cosign, `cosign sign-blob` without a log) or
 * Ed25519ph, RFC 8032's SHA-512-prehashed variant with an empty context, which cosign
 * has used by default for Ed25519 keys since it signs for its transparency log; Node's
 * crypto (OpenSSL 3.0) has no Ed25519ph, so that one is checked with @noble/curves.
 */
export function verifyBytes(key: VerificationKey, data: Uint8Array, signature: Uint8Array): boolean {
  if (key.algorithm === 'ed25519') {
    if (attempt(() => verify(null, data, key.key, signature))) return true;
    return signature.byteLength === 64 && attempt(() => ed25519ph.verify(signature, data, rawEd25519(key)));
  }
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
