export { verifyBundle } from './bundle.js';
export type { Discovery, FoundManifest } from './discover.js';
export { discoverSignatures, MAX_REFERRERS, UNAVAILABLE_CODES } from './discover.js';
export type { DsseEnvelope, EnvelopeCheck } from './dsse.js';
export { pae, verifyEnvelope } from './dsse.js';
export { MAX_ENVELOPE_BYTES, MAX_PAYLOAD_BYTES, signatureLayers } from './examine.js';
export type { StatementCheck } from './in-toto.js';
export { checkStatement } from './in-toto.js';
export { COSIGN, cosignTag, PREDICATE_TYPES, SIGSTORE_BUNDLE, STATEMENT_TYPES } from './media-types.js';
export type { ParsedPublicKey, SigningAlgorithm, VerificationKey } from './public-key.js';
export { keyFingerprint, parsePublicKey } from './public-key.js';
export type {
  SignatureCandidate,
  SignatureCode,
  SignatureEvidence,
  SignatureLookup,
  SignatureResult,
  SignatureVia,
} from './result.js';
export {
  signatureCandidateSchema,
  signatureCodeSchema,
  signatureEvidenceSchema,
  signatureLookupSchema,
  signatureResultSchema,
  signatureViaSchema,
} from './result.js';
export type { SimpleSigningCheck } from './simple-signing.js';
export { checkSimpleSigning } from './simple-signing.js';
export { decodeBase64, findVerifyingKey, verifyBytes } from './verify-bytes.js';
export type { SignatureRequirement, VerifyImageOptions } from './verify-image.js';
export { MAX_CANDIDATES, verifyAttestation, verifyImage, verifySignature } from './verify-image.js';
export type { SignatureFact, SignatureGateSpec } from './signature-facts.js';
export { signatureFacts } from './signature-facts.js';
