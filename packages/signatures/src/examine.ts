import { isGantryError } from '@gantry/core';
import type { Descriptor, RegistryReader } from '@gantry/oci';
import type { FoundManifest } from './discover.js';
import { UNAVAILABLE_CODES } from './discover.js';
import { verifyBundle } from './bundle.js';
import type { EnvelopeCheck } from './dsse.js';
import { verifyEnvelope } from './dsse.js';
import { checkStatement } from './in-toto.js';
import { COSIGN, SIGSTORE_BUNDLE } from './media-types.js';
import type { VerificationKey } from './public-key.js';
import type { SignatureCandidate } from './result.js';
import { checkSimpleSigning } from './simple-signing.js';
import { decodeBase64, findVerifyingKey } from './verify-bytes.js';

/** A simple-signing payload is a few hundred bytes; anything near this is not one. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** SLSA provenance with many materials runs to megabytes; cosign's own default limit is larger still. */
export const MAX_ENVELOPE_BYTES = 16 * 1024 * 1024;

export type Requirement =
  | { readonly kind: 'signature' }
  | { readonly kind: 'attestation'; readonly predicateType: string };

export interface ExamineContext {
  readonly registry: RegistryReader;
  readonly repository: string;
  readonly digest: string;
  readonly keys: readonly VerificationKey[];
  readonly require: Requirement;
  readonly signal?: AbortSignal;
}

type Verdict = Omit<SignatureCandidate, 'via' | 'manifest' | 'layer'>;

const refused = (code: SignatureCandidate['code'], reason: string, extra: Partial<Verdict> = {}): Verdict => ({
  status: 'refused',
  code,
  reason,
  ...extra,
});

/** The layer's bytes, or the verdict that they cannot be had. */
async function readLayer(ctx: ExamineContext, layer: Descriptor, limit: number): Promise<Uint8Array | Verdict> {
  if (layer.size > limit) {
    return refused(
      'payload_unreadable',
      `the layer is ${layer.size} bytes, more than the ${limit} a signature may have`,
    );
  }
  try {
    return await ctx.registry.blob(ctx.repository, layer.digest, ctx.signal ? { signal: ctx.signal } : undefined);
  } catch (e) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    if (!isGantryError(e)) throw e;
    if (UNAVAILABLE_CODES.has(e.code)) return refused('unavailable', e.message);
    return refused('payload_unreadable', `the payload could not be read: ${e.message}`);
  }
}

const keysWord = (keys: readonly VerificationKey[]) =>
  keys.length === 1 ? `the configured key ${keys[0]?.id}` : `any of the ${keys.length} configured keys`;

async function examineSignature(ctx: ExamineContext, layer: Descriptor): Promise<Verdict> {
  const annotation = layer.annotations?.[COSIGN.signatureAnnotation];
  if (!annotation) return refused('signature_malformed', `the layer has no ${COSIGN.signatureAnnotation} annotation`);
  const signature = decodeBase64(annotation);
  if (!signature) return refused('signature_malformed', 'the signature annotation is not base64');
  const bytes = await readLayer(ctx, layer, MAX_PAYLOAD_BYTES);
  if (!(bytes instanceof Uint8Array)) return bytes;
  const key = findVerifyingKey(ctx.keys, bytes, signature);
  if (!key) {
    return refused(
      'signature_invalid',
      `the signature does not verify with ${keysWord(ctx.keys)} (signed with another key, or the payload was changed after signing)`,
    );
  }
  const payload = checkSimpleSigning(bytes, ctx.digest);
  if (!payload.ok) {
    return refused(payload.code, payload.message, {
      keyId: key.id,
      ...(payload.signedDigest ? { signedDigest: payload.signedDigest } : {}),
    });
  }
  return {
    status: 'verified',
    code: 'verified',
    reason: `signed by key ${key.id} (${key.algorithm})`,
    keyId: key.id,
    signedDigest: payload.signedDigest,
  };
}

/** A DSSE envelope (a classic attestation layer, or the one inside a Sigstore bundle) and its statement. */
async function examineEnvelope(
  ctx: ExamineContext,
  layer: Descriptor,
  predicateType: string,
  verify: (bytes: Uint8Array, keys: readonly VerificationKey[]) => EnvelopeCheck,
): Promise<Verdict> {
  const bytes = await readLayer(ctx, layer, MAX_ENVELOPE_BYTES);
  if (!(bytes instanceof Uint8Array)) return bytes;
  const envelope = verify(bytes, ctx.keys);
  const noun = ctx.require.kind === 'signature' ? 'signature' : 'attestation';
  if (!envelope.ok) {
    return refused(
      envelope.code,
      envelope.code === 'signature_invalid'
        ? `the ${noun}'s signature does not verify with ${keysWord(ctx.keys)} (signed with another key, or the statement was changed after signing)`
        : envelope.message,
    );
  }
  const statement = checkStatement(envelope.payloadType, envelope.payload, ctx.digest, predicateType);
  if (!statement.ok) {
    return refused(statement.code, statement.message, {
      keyId: envelope.key.id,
      ...(statement.predicateType ? { predicateType: statement.predicateType } : {}),
    });
  }
  const what = ctx.require.kind === 'signature' ? 'signed' : `attestation of ${statement.predicateType} signed`;
  return {
    status: 'verified',
    code: 'verified',
    reason: `${what} by key ${envelope.key.id} (${envelope.key.algorithm})`,
    keyId: envelope.key.id,
    signedDigest: ctx.digest,
    ...(ctx.require.kind === 'attestation' ? { predicateType: statement.predicateType } : {}),
  };
}

/** The predicate type a statement must have to meet the requirement. */
const wantedPredicate = (require: Requirement) =>
  require.kind === 'signature' ? COSIGN.signPredicateType : require.predicateType;

/**
 * The layers of a found manifest that are signatures (or attestations) in a format
 * Gantry reads. A Sigstore bundle is the same artifact type whether it signs or
 * attests, so cosign's predicate-type annotation tells them apart here: a bundle of
 * `cosign sign` is not looked at as an attestation, nor an attestation bundle as a
 * signature. It only ever skips; what passes is decided on the signed statement.
 */
export function signatureLayers(m: FoundManifest, require: Requirement): readonly Descriptor[] {
  const classic = require.kind === 'signature' ? COSIGN.simpleSigning : COSIGN.dsseEnvelope;
  const hint = m.body.annotations?.[SIGSTORE_BUNDLE.predicateTypeAnnotation];
  const bundleApplies =
    hint === undefined ||
    (require.kind === 'signature' ? hint === COSIGN.signPredicateType : hint !== COSIGN.signPredicateType);
  return m.body.layers.filter((l) => l.mediaType === classic || (bundleApplies && l.mediaType === SIGSTORE_BUNDLE.v03));
}

/**
 * One signature's verdict. The signature is verified before the payload is read for
 * meaning, so a refusal for "another image" or "another predicate type" is only ever
 * given about something the configured key really signed.
 */
export async function examineLayer(
  ctx: ExamineContext,
  m: FoundManifest,
  layer: Descriptor,
): Promise<SignatureCandidate> {
  const verdict =
    layer.mediaType === SIGSTORE_BUNDLE.v03
      ? await examineEnvelope(ctx, layer, wantedPredicate(ctx.require), verifyBundle)
      : ctx.require.kind === 'signature'
        ? await examineSignature(ctx, layer)
        : await examineEnvelope(ctx, layer, ctx.require.predicateType, verifyEnvelope);
  return { via: m.via, manifest: m.digest, layer: layer.digest, ...verdict };
}
