import type { KeyObject } from 'node:crypto';
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';

/*
 * Signing the way `cosign sign --key` and `cosign attest --key` do, for tests. Written
 * from cosign's specs (specs/SIGNATURE_SPEC.md, specs/ATTESTATION_SPEC.md) and what
 * cosign emits, independently of @gantry/signatures: a test that signed with the
 * verifier's own encoders could not catch the verifier getting the format wrong.
 */

/** What cosign writes, spelled out here rather than imported from @gantry/signatures (see above). */
export const COSIGN_WIRE = {
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  signatureAnnotation: 'dev.cosignproject.cosign/signature',
  signatureArtifact: 'application/vnd.dev.cosign.artifact.sig.v1+json',
  dsse: 'application/vnd.dsse.envelope.v1+json',
  inToto: 'application/vnd.in-toto+json',
  emptyConfig: 'application/vnd.oci.empty.v1+json',
  bundle: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  signPredicate: 'https://sigstore.dev/cosign/sign/v1',
} as const;

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

export type TestKeyAlgorithm = 'ecdsa-p256' | 'ed25519';

/** A key pair as `cosign generate-key-pair` gives one: the public half as an SPKI PEM (cosign.pub). */
export interface TestSigningKey {
  readonly algorithm: TestKeyAlgorithm;
  readonly publicKeyPem: string;
  readonly privateKey: KeyObject;
}

export function generateSigningKey(algorithm: TestKeyAlgorithm = 'ecdsa-p256'): TestSigningKey {
  const pair =
    algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    algorithm,
    publicKeyPem: String(pair.publicKey.export({ type: 'spki', format: 'pem' })),
    privateKey: pair.privateKey,
  };
}

/**
 * How a signature is made: ECDSA P-256 with SHA-256 as ASN.1 `der` (what cosign emits)
 * or `raw` r||s; Ed25519 `prehashed` (Ed25519ph, cosign's default for Ed25519 keys) or
 * `pure` (older cosign).
 */
export type SignatureVariant = 'der' | 'raw' | 'prehashed' | 'pure';

/** Base64 signature over exactly `bytes`; default `der` for ECDSA, `prehashed` for Ed25519, as cosign signs. */
export function signBytes(key: TestSigningKey, bytes: Uint8Array, variant?: SignatureVariant): string {
  if (key.algorithm === 'ed25519') {
    if (variant === 'pure') return sign(null, bytes, key.privateKey).toString('base64');
    const seed = Buffer.from(key.privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
    return Buffer.from(ed25519ph.sign(bytes, new Uint8Array(seed))).toString('base64');
  }
  const dsaEncoding = variant === 'raw' ? 'ieee-p1363' : 'der';
  return sign('sha256', bytes, { key: key.privateKey, dsaEncoding }).toString('base64');
}

/** The simple-signing payload byte for byte as `cosign sign` writes it (Go's JSON of sigstore's payload). */
export function simpleSigningPayload(digest: string, dockerReference: string): Uint8Array {
  return new TextEncoder().encode(
    `{"critical":{"identity":{"docker-reference":"${dockerReference}"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`,
  );
}

/** An in-toto v1 statement with a SLSA v1 provenance predicate about `digest`. */
export function slsaProvenanceStatement(digest: string, name: string, builderId = 'https://ci.example/builder@v1') {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, '') } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: { buildType: 'https://ci.example/build@v1', externalParameters: { ref: 'refs/heads/main' } },
      runDetails: { builder: { id: builderId }, metadata: { invocationId: 'run-1' } },
    },
  };
}

/** The DSSE PAE, written out here again on purpose (see the top of this file). */
function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.byteLength} `), payload]);
}

/** A DSSE envelope over `payload`, as cosign serialises it. */
export function dsseEnvelope(
  key: TestSigningKey,
  payloadType: string,
  payload: Uint8Array,
  variant?: SignatureVariant,
): Uint8Array {
  const sig = signBytes(key, preAuthEncoding(payloadType, payload), variant);
  const body = { payloadType, payload: Buffer.from(payload).toString('base64'), signatures: [{ keyid: '', sig }] };
  return new TextEncoder().encode(JSON.stringify(body));
}

/**
 * A Sigstore bundle v0.3 (protobuf-specs' JSON) holding a DSSE envelope signed with a
 * key, without transparency-log entries: what `cosign sign|attest --key` writes with
 * `--new-bundle-format` and no log configured.
 */
export function sigstoreBundle(key: TestSigningKey, envelope: Uint8Array): Uint8Array {
  const der = createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' });
  const dsse = JSON.parse(new TextDecoder().decode(envelope)) as Record<string, unknown>;
  return json({
    mediaType: COSIGN_WIRE.bundle,
    verificationMaterial: { publicKey: { hint: createHash('sha256').update(der).digest('base64') } },
    dsseEnvelope: dsse,
  });
}

/** The statement `cosign sign` signs in the bundle format: the image digest as subject, cosign's sign predicate. */
export function cosignSignStatement(digest: string) {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ digest: { sha256: digest.replace(/^sha256:/, '') } }],
    predicateType: COSIGN_WIRE.signPredicate,
    predicate: {},
  };
}

/** A DSSE envelope over the statement; `tamper` changes the payload after signing. */
export function signedEnvelope(
  key: TestSigningKey,
  statement: object,
  tamper?: (p: Uint8Array) => Uint8Array,
): Uint8Array {
  const payload = json(statement);
  const envelope = dsseEnvelope(key, COSIGN_WIRE.inToto, payload);
  if (!tamper) return envelope;
  const body = JSON.parse(new TextDecoder().decode(envelope)) as Record<string, unknown>;
  return json({ ...body, payload: Buffer.from(tamper(payload)).toString('base64') });
}
