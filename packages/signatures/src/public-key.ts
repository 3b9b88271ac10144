import type { KeyObject } from 'node:crypto';
import { createHash, createPublicKey } from 'node:crypto';

/** The signature schemes Gantry verifies. */
export type SigningAlgorithm = 'ecdsa-p256' | 'ed25519';

/** A public key that verifies signatures: parsed once, when the configuration is read. */
export interface VerificationKey {
  /** The configured name, or the fingerprint when none was given; what results name as `keyId`. */
  readonly id: string;
  readonly algorithm: SigningAlgorithm;
  /** `sha256:<hex>` of the key's DER SubjectPublicKeyInfo: the same key always has the same fingerprint. */
  readonly fingerprint: string;
  readonly key: KeyObject;
}

export type ParsedPublicKey =
  | { readonly ok: true; readonly key: VerificationKey }
  | { readonly ok: false; readonly message: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** `sha256:<hex>` of the DER SubjectPublicKeyInfo. */
export function keyFingerprint(key: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

function wrongBlock(label: string): string {
  if (label.includes('PRIVATE KEY')) {
    return `is a private key (${label}); configure the public key (cosign.pub, or \`cosign public-key --key cosign.key\`)`;
  }
  if (label === 'CERTIFICATE') return 'is a certificate; configure its public key (`openssl x509 -pubkey -noout`)';
  return `is a ${label} block, not a PUBLIC KEY`;
}

/**
 * Parses one PEM public key (SubjectPublicKeyInfo, `-----BEGIN PUBLIC KEY-----`, as in
 * `cosign.pub`). Only ECDSA on P-256 and Ed25519 are accepted: cosign's specification
 * fixes SHA-256 for ECDSA, so a P-384 key would need another hash it never uses.
 * Returns a message (for `gantry validate` to place at a file and line) instead of
 * throwing, because a key that does not parse is a configuration mistake.
 */
export function parsePublicKey(pem: string, id?: string): ParsedPublicKey {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0)
    return { ok: false, message: 'is not a PEM public key (no -----BEGIN PUBLIC KEY----- block)' };
  if (blocks.length > 1)
    return { ok: false, message: `holds ${blocks.length} PEM blocks; give one public key per entry` };
  const [block, label = ''] = blocks[0] as RegExpMatchArray;
  if (label !== 'PUBLIC KEY') return { ok: false, message: wrongBlock(label) };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block, format: 'pem' });
  } catch (e) {
    return { ok: false, message: `does not parse as a public key: ${(e as Error).message}` };
  }
  let algorithm: SigningAlgorithm;
  if (key.asymmetricKeyType === 'ed25519') algorithm = 'ed25519';
  else if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    algorithm = 'ecdsa-p256';
  else {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return {
      ok: false,
      message: `is a ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` (${curve})` : ''} key; Gantry verifies ECDSA P-256 and Ed25519`,
    };
  }
  const fingerprint = keyFingerprint(key);
  return { ok: true, key: { id: id ?? fingerprint, algorithm, fingerprint, key } };
}
