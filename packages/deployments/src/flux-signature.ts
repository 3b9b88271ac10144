import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Flux notification-controller's `generic-hmac` Provider signs the request body with the `token`
 * of the Provider's Secret and sends `X-Signature: <hash-function>=<hex hmac>`. It uses sha256
 * today; the Provider docs name sha224, sha256, sha384 and sha512 as the functions a receiver
 * should accept, since the default "may change in the future". sha1 is not among them.
 */

export type FluxSignatureAlgorithm = 'sha224' | 'sha256' | 'sha384' | 'sha512';

const DIGEST_BYTES: Readonly<Record<FluxSignatureAlgorithm, number>> = {
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** The header notification-controller puts the signature in. */
export const FLUX_SIGNATURE_HEADER = 'X-Signature';

export type SignatureCheck =
  | { readonly ok: true; readonly algorithm: FluxSignatureAlgorithm }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'malformed' | 'unsupported-algorithm' | 'mismatch' | 'no-secret';
      readonly message: string;
    };

const isAlgorithm = (s: string): s is FluxSignatureAlgorithm => Object.hasOwn(DIGEST_BYTES, s);

/**
 * Checks `X-Signature` against the raw request body, before anything parses it. Constant-time in
 * the signature's value. An empty secret never verifies anything.
 */
export function verifyFluxSignature(
  rawBody: string | Uint8Array,
  header: string | undefined,
  secret: string,
): SignatureCheck {
  if (secret.length === 0) return fail('no-secret', 'no secret is configured for Flux webhooks');
  if (header === undefined || header.trim() === '')
    return fail('missing', `the ${FLUX_SIGNATURE_HEADER} header is missing`);
  const parts = header.trim().split('=');
  if (parts.length !== 2) return fail('malformed', `${FLUX_SIGNATURE_HEADER} must be <hash-function>=<hex>`);
  const [name = '', hex = ''] = parts;
  const algorithm = name.toLowerCase();
  if (!isAlgorithm(algorithm)) {
    return fail(
      'unsupported-algorithm',
      `${FLUX_SIGNATURE_HEADER} uses "${name}"; expected sha224, sha256, sha384 or sha512`,
    );
  }
  // Length and alphabet are not secret; only the value is compared in constant time.
  if (hex.length !== DIGEST_BYTES[algorithm] * 2 || !/^[0-9a-fA-F]+$/.test(hex)) {
    return fail('malformed', `${FLUX_SIGNATURE_HEADER} is not a ${algorithm} HMAC in hex`);
  }
  const expected = createHmac(algorithm, secret).update(rawBody).digest();
  const given = Buffer.from(hex, 'hex');
  if (!timingSafeEqual(expected, given)) return fail('mismatch', `${FLUX_SIGNATURE_HEADER} does not match the body`);
  return { ok: true, algorithm };
}

/** The `X-Signature` value notification-controller would send for `body`. */
export function signFluxBody(
  body: string | Uint8Array,
  secret: string,
  algorithm: FluxSignatureAlgorithm = 'sha256',
): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(body).digest('hex')}`;
}

function fail(reason: Exclude<SignatureCheck, { ok: true }>['reason'], message: string): SignatureCheck {
  return { ok: false, reason, message };
}
