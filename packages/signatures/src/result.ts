import { z } from 'zod';

/**
 * Why a check ended as it did, one stable word each:
 * - `verified`: a signature (or attestation) verified with a configured key, for this digest;
 * - `unsigned`: no signature or attestation is attached to the digest at all;
 * - `signature_invalid`: found, but its signature does not verify with any configured key
 *   (signed with another key, or the payload was changed after signing);
 * - `signature_malformed`: the signature is missing or not base64;
 * - `payload_invalid`: the signed payload is not a cosign simple-signing payload / in-toto statement;
 * - `payload_unreadable`: the payload blob is missing, too large or does not match its digest;
 * - `digest_mismatch`: validly signed, but for another image (a signature copied between images);
 * - `predicate_type_mismatch`: a valid attestation of this image, of another predicate type;
 * - `no_keys`: no public key is configured, so nothing can verify;
 * - `unavailable`: the registry could not be asked (down, timeout, refused): not evaluated.
 */
export const signatureCodeSchema = z.enum([
  'verified',
  'unsigned',
  'signature_invalid',
  'signature_malformed',
  'payload_invalid',
  'payload_unreadable',
  'digest_mismatch',
  'predicate_type_mismatch',
  'no_keys',
  'unavailable',
]);
export type SignatureCode = z.infer<typeof signatureCodeSchema>;

/** Where a signature was looked for: the OCI referrers API (or its tag schema), or cosign's `.sig`/`.att` tag. */
export const signatureViaSchema = z.enum(['referrers', 'tag']);
export type SignatureVia = z.infer<typeof signatureViaSchema>;

/** One place looked at, and what it held. */
export const signatureLookupSchema = z.object({
  via: signatureViaSchema,
  /** `referrers of sha256:…` or `team/app:sha256-….sig`. */
  location: z.string(),
  /** Manifests found there (0 when the tag does not exist or no referrer has the artifact type). */
  found: z.number().int().min(0),
  /** Why the place could not be read; the check is then `unavailable` unless something else verified. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type SignatureLookup = z.infer<typeof signatureLookupSchema>;

/** One signature (a layer of a signature or attestation manifest) and its verdict. */
export const signatureCandidateSchema = z.object({
  via: signatureViaSchema,
  /** The digest of the manifest holding it. */
  manifest: z.string(),
  /** The digest of its layer (the payload or the DSSE envelope). */
  layer: z.string(),
  status: z.enum(['verified', 'refused']),
  code: signatureCodeSchema,
  reason: z.string(),
  /** The key it verified with. */
  keyId: z.string().optional(),
  /** The image digest a verified payload names. */
  signedDigest: z.string().optional(),
  /** An attestation's predicate type (from the verified statement). */
  predicateType: z.string().optional(),
});
export type SignatureCandidate = z.infer<typeof signatureCandidateSchema>;

export const signatureEvidenceSchema = z.object({
  registry: z.string(),
  repository: z.string(),
  /** The repository signatures were looked for in (cosign's `COSIGN_REPOSITORY`), when not `repository`. */
  signatureRepository: z.string().optional(),
  digest: z.string(),
  /** The configured keys, by id, algorithm and fingerprint; never the key material itself. */
  keys: z.array(z.object({ id: z.string(), algorithm: z.string(), fingerprint: z.string() })),
  /** For an attestation: the predicate type required. */
  requiredPredicateType: z.string().optional(),
  lookups: z.array(signatureLookupSchema),
  /** Every signature examined, verified or not (capped; see `omitted`). */
  candidates: z.array(signatureCandidateSchema),
  /** Manifests or layers left unexamined beyond the caps. */
  omitted: z.number().int().min(0),
});
export type SignatureEvidence = z.infer<typeof signatureEvidenceSchema>;

/**
 * The result of checking an image digest for a signature or an attestation: plain
 * JSON to record on a promotion and to show in `gantry why`. `verified` is true only
 * for `outcome: 'verified'`; `unavailable` means the check could not be evaluated (the
 * gate holds, and says so), never that it passed. Read stored results back through it.
 */
export const signatureResultSchema = z.object({
  kind: z.enum(['signature', 'attestation']),
  outcome: z.enum(['verified', 'refused', 'unavailable']),
  verified: z.boolean(),
  code: signatureCodeSchema,
  /** One line: why it passed, or what is wrong and how to fix it. */
  reason: z.string(),
  /** The key that verified it. */
  keyId: z.string().optional(),
  /** The predicate type of the verified attestation. */
  predicateType: z.string().optional(),
  evidence: signatureEvidenceSchema,
});
export type SignatureResult = z.infer<typeof signatureResultSchema>;
