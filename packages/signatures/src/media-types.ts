/**
 * What cosign writes to a registry, as its specs name it (sigstore/cosign
 * `specs/SIGNATURE_SPEC.md`, `specs/ATTESTATION_SPEC.md`) and as `cosign` emits it.
 */
export const COSIGN = {
  /** The layer media type of a "simple signing" payload. */
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  /** The layer annotation holding the base64 signature over the layer's exact bytes. */
  signatureAnnotation: 'dev.cosignproject.cosign/signature',
  /** `critical.type` of a cosign image signature. */
  signatureType: 'cosign container image signature',
  /** The artifact type of a signature pushed as an OCI 1.1 referrer (`--registry-referrers-mode=oci-1-1`). */
  signatureArtifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
  /** The layer media type of an attestation: a DSSE envelope. */
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
  /** The DSSE payload type of an in-toto statement, also the artifact type of attestation referrers. */
  inTotoPayload: 'application/vnd.in-toto+json',
  /** The layer annotation cosign copies the predicate type to; a hint only, never trusted. */
  predicateTypeAnnotation: 'predicateType',
  /** Tag-scheme suffixes: `sha256-<hex>.sig` and `sha256-<hex>.att`. */
  signatureTagSuffix: '.sig',
  attestationTagSuffix: '.att',
  /** The predicate type of the statement `cosign sign` signs in the Sigstore bundle format (cosign v3's default). */
  signPredicateType: 'https://sigstore.dev/cosign/sign/v1',
} as const;

/** The Sigstore bundle format cosign v3 writes by default (`--new-bundle-format`), always as an OCI referrer. */
export const SIGSTORE_BUNDLE = {
  /** The layer media type, and the artifact type of the referrer manifest. */
  v03: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  /** The referrer manifest annotation cosign copies the statement's predicate type to; a hint only. */
  predicateTypeAnnotation: 'dev.sigstore.bundle.predicateType',
} as const;

/** Well-known in-toto predicate types. */
export const PREDICATE_TYPES = {
  slsaProvenanceV1: 'https://slsa.dev/provenance/v1',
  slsaProvenanceV02: 'https://slsa.dev/provenance/v0.2',
} as const;

/** The in-toto statement types Gantry reads (v0.1 is what older cosign versions write). */
export const STATEMENT_TYPES: readonly string[] = [
  'https://in-toto.io/Statement/v1',
  'https://in-toto.io/Statement/v0.1',
];

/**
 * The cosign tag-scheme tag for an image digest: `sha256:abc…` -> `sha256-abc….sig`
 * (or `.att`), in the repository that holds the signatures.
 */
export function cosignTag(digest: string, kind: 'signature' | 'attestation'): string {
  return `${digest.replace(':', '-')}${kind === 'signature' ? COSIGN.signatureTagSuffix : COSIGN.attestationTagSuffix}`;
}
