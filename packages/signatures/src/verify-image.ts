import { GantryError } from '@gantry/core';
import type { RegistryReader } from '@gantry/oci';
import { discoverSignatures, UNAVAILABLE_CODES } from './discover.js';
import type { Requirement } from './examine.js';
import { examineLayer, signatureLayers } from './examine.js';
import { COSIGN, cosignTag, SIGSTORE_BUNDLE } from './media-types.js';
import type { VerificationKey } from './public-key.js';
import type { SignatureCandidate, SignatureCode, SignatureEvidence, SignatureResult } from './result.js';

export type { Requirement as SignatureRequirement } from './examine.js';

export interface VerifyImageOptions {
  /** The registry holding the image (a client from `@gantry/oci`). */
  readonly registry: RegistryReader;
  /** The image's repository, e.g. `team/app`. */
  readonly repository: string;
  /** The image's manifest (or index) digest, `sha256:<hex>`. */
  readonly digest: string;
  /** Public keys from `parsePublicKey`; a signature verified by any of them counts. */
  readonly keys: readonly VerificationKey[];
  /** Where signatures are stored when not beside the image (cosign's `COSIGN_REPOSITORY`). */
  readonly signatureRepository?: string;
  /** Aborting rejects with the signal's reason: no verdict, nothing to record. */
  readonly signal?: AbortSignal;
}

const SHA256 = /^sha256:[a-f0-9]{64}$/;
/** Signature layers examined at most per check; more is a flood, not a signing practice. */
export const MAX_CANDIDATES = 64;

/** Which refusal explains best: the one that came closest to passing. */
const CLOSENESS: Partial<Record<SignatureCode, number>> = {
  predicate_type_mismatch: 5,
  digest_mismatch: 4,
  payload_invalid: 3,
  signature_invalid: 2,
  signature_malformed: 1,
  payload_unreadable: 0,
};

function refusalReason(candidates: readonly SignatureCandidate[], noun: string): SignatureCandidate {
  const best = [...candidates].sort((a, b) => (CLOSENESS[b.code] ?? -1) - (CLOSENESS[a.code] ?? -1))[0];
  if (!best) throw new Error('refusalReason needs a candidate');
  if (candidates.length === 1) return best;
  return { ...best, reason: `none of the ${candidates.length} ${noun}s verified; the closest: ${best.reason}` };
}

function viaText(c: SignatureCandidate, evidence: SignatureEvidence): string {
  const lookup = evidence.lookups.find((l) => l.via === c.via);
  return c.via === 'tag' ? `the cosign tag ${lookup?.location ?? ''}` : 'the OCI referrers of the digest';
}

/**
 * Checks that `digest` carries a cosign signature (the simple-signing payload over the
 * digest) or an in-toto attestation of the required predicate type, verified with one
 * of `keys`. Presence alone never passes. A registry that cannot be asked gives
 * `outcome: 'unavailable'`, unless a signature already verified from what could be read.
 * Throws only for a digest that is not `sha256:<hex>` (the caller's mistake) and on abort.
 */
export async function verifyImage(require: Requirement, o: VerifyImageOptions): Promise<SignatureResult> {
  if (!SHA256.test(o.digest)) {
    throw new GantryError('invalid_reference', `"${o.digest}" is not a sha256 image digest`, { digest: o.digest });
  }
  const where = o.signatureRepository ?? o.repository;
  const noun = require.kind === 'signature' ? 'signature' : 'attestation';
  const evidence: SignatureEvidence = {
    registry: o.registry.name,
    repository: o.repository,
    ...(o.signatureRepository && o.signatureRepository !== o.repository
      ? { signatureRepository: o.signatureRepository }
      : {}),
    digest: o.digest,
    keys: o.keys.map((k) => ({ id: k.id, algorithm: k.algorithm, fingerprint: k.fingerprint })),
    ...(require.kind === 'attestation' ? { requiredPredicateType: require.predicateType } : {}),
    lookups: [],
    candidates: [],
    omitted: 0,
  };
  const result = (
    outcome: SignatureResult['outcome'],
    code: SignatureCode,
    reason: string,
    extra: Pick<SignatureResult, 'keyId' | 'predicateType'> = {},
  ): SignatureResult => ({
    kind: require.kind,
    outcome,
    verified: outcome === 'verified',
    code,
    reason,
    ...extra,
    evidence,
  });

  if (o.keys.length === 0) {
    return result('refused', 'no_keys', `no public key is configured, so no ${noun} can verify`);
  }

  const discovery = await discoverSignatures(o.registry, where, o.digest, require.kind, o.signal);
  evidence.lookups.push(...discovery.lookups);
  evidence.omitted += discovery.omitted;
  const ctx = { registry: o.registry, repository: where, digest: o.digest, keys: o.keys, require, signal: o.signal };
  for (const m of discovery.found) {
    for (const layer of signatureLayers(m, require)) {
      if (evidence.candidates.length >= MAX_CANDIDATES) {
        evidence.omitted++;
        continue;
      }
      const c = await examineLayer(ctx, m, layer);
      evidence.candidates.push(c);
      if (c.status === 'verified') {
        return result('verified', 'verified', `${c.reason}, found through ${viaText(c, evidence)}`, {
          ...(c.keyId ? { keyId: c.keyId } : {}),
          ...(c.predicateType ? { predicateType: c.predicateType } : {}),
        });
      }
    }
  }

  // nothing verified: if part of the registry could not be read, the answer is "unknown", not "no"
  const failedLookup = evidence.lookups.find((l) => l.error && UNAVAILABLE_CODES.has(l.error.code));
  const failedRead = evidence.candidates.find((c) => c.code === 'unavailable');
  const unavailable = failedLookup?.error?.message ?? failedRead?.reason;
  if (unavailable !== undefined) {
    return result(
      'unavailable',
      'unavailable',
      `the ${noun} check could not be evaluated: ${unavailable}; the gate holds until the registry answers`,
    );
  }
  const refusals = evidence.candidates.filter((c) => c.code !== 'unavailable');
  if (refusals.length > 0) {
    const best = refusalReason(refusals, noun);
    return result('refused', best.code, best.reason);
  }
  const broken = evidence.lookups.find((l) => l.error);
  if (broken) return result('refused', 'payload_invalid', `${broken.location}: ${broken.error?.message}`);
  // a bundle skipped for its predicate type is the other kind of artifact (an attestation, not a signature), not a bad one
  const unreadable = discovery.found.filter((m) => !m.body.layers.some((l) => l.mediaType === SIGSTORE_BUNDLE.v03));
  if (unreadable.length > 0) {
    return result(
      'refused',
      'payload_invalid',
      `found ${unreadable.length} ${noun} manifest${unreadable.length === 1 ? '' : 's'} for ${o.digest}, but no layer of media type ${require.kind === 'signature' ? COSIGN.simpleSigning : COSIGN.dsseEnvelope} or ${SIGSTORE_BUNDLE.v03} (another signature format?)`,
    );
  }
  const how =
    require.kind === 'signature'
      ? 'sign it with `cosign sign --key`'
      : `attach one with \`cosign attest --key … --type ${require.predicateType}\``;
  return result(
    'refused',
    'unsigned',
    `no ${noun} is attached to ${o.digest} (looked at the OCI referrers of the digest and the tag ${where}:${cosignTag(o.digest, require.kind)}); ${how}`,
  );
}

/** {@link verifyImage} for a cosign signature. */
export function verifySignature(o: VerifyImageOptions): Promise<SignatureResult> {
  return verifyImage({ kind: 'signature' }, o);
}

/** {@link verifyImage} for an in-toto attestation of `predicateType` (e.g. `https://slsa.dev/provenance/v1`). */
export function verifyAttestation(
  o: VerifyImageOptions & { readonly predicateType: string },
): Promise<SignatureResult> {
  return verifyImage({ kind: 'attestation', predicateType: o.predicateType }, o);
}
