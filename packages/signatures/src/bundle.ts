import { z } from 'zod';
import type { EnvelopeCheck } from './dsse.js';
import { verifyEnvelope } from './dsse.js';
import type { VerificationKey } from './public-key.js';

/** The part of a Sigstore bundle (protobuf-specs, JSON encoding) that a key verifies: its DSSE envelope. */
const bundleSchema = z.object({
  mediaType: z.string().optional(),
  dsseEnvelope: z.unknown().optional(),
  messageSignature: z.unknown().optional(),
});

/**
 * Verifies the DSSE envelope inside a Sigstore bundle with `keys`, as
 * `cosign verify --key … --insecure-ignore-tlog` would: the transparency-log entries
 * and timestamps the bundle may carry are not checked (Gantry trusts the configured
 * key, not a log), and a bundle without a DSSE envelope (a blob's message signature)
 * is not an image signature.
 */
export function verifyBundle(bytes: Uint8Array, keys: readonly VerificationKey[]): EnvelopeCheck {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, code: 'payload_invalid', message: 'the Sigstore bundle is not JSON' };
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success || parsed.data.dsseEnvelope === undefined) {
    return {
      ok: false,
      code: 'payload_invalid',
      message:
        parsed.success && parsed.data.messageSignature !== undefined
          ? 'the Sigstore bundle holds a message signature, not a DSSE envelope over an in-toto statement'
          : 'the layer is not a Sigstore bundle with a DSSE envelope',
    };
  }
  return verifyEnvelope(new TextEncoder().encode(JSON.stringify(parsed.data.dsseEnvelope)), keys);
}
