import { z } from 'zod';
import type { VerificationKey } from './public-key.js';
import { decodeBase64, findVerifyingKey } from './verify-bytes.js';

const envelopeSchema = z.object({
  payloadType: z.string(),
  payload: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })),
});

/** A DSSE envelope (secure-systems-lab/dsse, `envelope.md`). */
export type DsseEnvelope = z.infer<typeof envelopeSchema>;

const encoder = new TextEncoder();

/**
 * The DSSE pre-authentication encoding, what is actually signed:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in bytes as ASCII
 * decimals. Signing this rather than the body binds the payload type too.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = encoder.encode(payloadType);
  const head = encoder.encode(`DSSEv1 ${type.byteLength} `);
  const mid = encoder.encode(` ${payload.byteLength} `);
  const out = new Uint8Array(head.byteLength + type.byteLength + mid.byteLength + payload.byteLength);
  out.set(head, 0);
  out.set(type, head.byteLength);
  out.set(mid, head.byteLength + type.byteLength);
  out.set(payload, head.byteLength + type.byteLength + mid.byteLength);
  return out;
}

export type EnvelopeCheck =
  | {
      readonly ok: true;
      readonly key: VerificationKey;
      readonly payloadType: string;
      readonly payload: Uint8Array;
    }
  | {
      readonly ok: false;
      readonly code: 'payload_invalid' | 'signature_malformed' | 'signature_invalid';
      readonly message: string;
    };

/**
 * Parses an envelope's bytes and verifies it: some signature in it must verify over
 * the PAE of its payload with one of `keys`. Only then is the payload returned, so
 * nothing reads an unverified statement.
 */
export function verifyEnvelope(bytes: Uint8Array, keys: readonly VerificationKey[]): EnvelopeCheck {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, code: 'payload_invalid', message: 'the attestation layer is not JSON' };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, code: 'payload_invalid', message: 'the attestation layer is not a DSSE envelope' };
  }
  const envelope = parsed.data;
  const payload = decodeBase64(envelope.payload);
  if (payload === undefined) {
    return { ok: false, code: 'payload_invalid', message: "the DSSE envelope's payload is not base64" };
  }
  if (envelope.signatures.length === 0) {
    return { ok: false, code: 'signature_malformed', message: 'the DSSE envelope carries no signature' };
  }
  const signed = pae(envelope.payloadType, payload);
  let decoded = 0;
  for (const s of envelope.signatures) {
    const sig = decodeBase64(s.sig);
    if (sig === undefined) continue;
    decoded++;
    const key = findVerifyingKey(keys, signed, sig);
    if (key) return { ok: true, key, payloadType: envelope.payloadType, payload };
  }
  if (decoded === 0) {
    return { ok: false, code: 'signature_malformed', message: "the DSSE envelope's signatures are not base64" };
  }
  return {
    ok: false,
    code: 'signature_invalid',
    message: `no signature of the DSSE envelope verifies with the configured key${keys.length === 1 ? '' : 's'} (signed with another key, or changed after signing)`,
  };
}
