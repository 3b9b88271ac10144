import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyBundle } from './bundle.js';
import { pae } from './dsse.js';
import type { FoundManifest } from './discover.js';
import { signatureLayers } from './examine.js';
import { COSIGN, SIGSTORE_BUNDLE } from './media-types.js';
import { parsePublicKey } from './public-key.js';

const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function keyPair() {
  const kp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const parsed = parsePublicKey(String(kp.publicKey.export({ type: 'spki', format: 'pem' })));
  if (!parsed.ok) throw new Error(parsed.message);
  return { privateKey: kp.privateKey, key: parsed.key };
}

describe('verifyBundle', () => {
  it('GIVEN a Sigstore bundle with a DSSE envelope signed by the key WHEN verified THEN its payload is returned', () => {
    // GIVEN
    const { privateKey, key } = keyPair();
    const payload = json({ _type: 'https://in-toto.io/Statement/v1' });
    const sig = sign('sha256', pae(COSIGN.inTotoPayload, payload), privateKey);
    const bundle = json({
      mediaType: SIGSTORE_BUNDLE.v03,
      verificationMaterial: { publicKey: { hint: 'x' }, tlogEntries: [] },
      dsseEnvelope: { payload: b64(payload), payloadType: COSIGN.inTotoPayload, signatures: [{ sig: b64(sig) }] },
    });
    // WHEN
    const checked = verifyBundle(bundle, [key]);
    // THEN
    expect(checked).toMatchObject({ ok: true, key, payloadType: COSIGN.inTotoPayload });
    expect(checked.ok && Buffer.from(checked.payload).equals(Buffer.from(payload))).toBe(true);
    expect(verifyBundle(bundle, [keyPair().key])).toMatchObject({ ok: false, code: 'signature_invalid' });
  });

  it('GIVEN bundles without a DSSE envelope, or not JSON WHEN verified THEN payload_invalid', () => {
    const { key } = keyPair();
    const blob = json({ mediaType: SIGSTORE_BUNDLE.v03, messageSignature: { signature: 'eA==' } });
    expect(verifyBundle(blob, [key])).toMatchObject({
      ok: false,
      code: 'payload_invalid',
      message: /message signature/,
    });
    expect(verifyBundle(json([1]), [key])).toMatchObject({ ok: false, code: 'payload_invalid' });
    expect(verifyBundle(new TextEncoder().encode('{'), [key])).toMatchObject({ ok: false, code: 'payload_invalid' });
  });
});

describe('signatureLayers', () => {
  const layer = (mediaType: string) => ({ mediaType, digest: `sha256:${'e'.repeat(64)}`, size: 1 });
  const found = (layers: string[], predicateType?: string): FoundManifest => ({
    via: 'referrers',
    digest: `sha256:${'f'.repeat(64)}`,
    body: {
      schemaVersion: 2,
      config: layer('application/vnd.oci.empty.v1+json'),
      layers: layers.map(layer),
      ...(predicateType ? { annotations: { [SIGSTORE_BUNDLE.predicateTypeAnnotation]: predicateType } } : {}),
    },
  });
  const slsa = { kind: 'attestation', predicateType: 'https://slsa.dev/provenance/v1' } as const;

  it('GIVEN classic layers WHEN a signature or an attestation is required THEN each takes its own media type only', () => {
    const m = found([COSIGN.simpleSigning, COSIGN.dsseEnvelope, 'application/octet-stream']);
    expect(signatureLayers(m, { kind: 'signature' }).map((l) => l.mediaType)).toEqual([COSIGN.simpleSigning]);
    expect(signatureLayers(m, slsa).map((l) => l.mediaType)).toEqual([COSIGN.dsseEnvelope]);
  });

  it("GIVEN bundles WHEN sorted by cosign's predicate-type hint THEN a sign bundle is only a signature, others only attestations", () => {
    const signBundle = found([SIGSTORE_BUNDLE.v03], COSIGN.signPredicateType);
    const slsaBundle = found([SIGSTORE_BUNDLE.v03], slsa.predicateType);
    const unhinted = found([SIGSTORE_BUNDLE.v03]);
    expect(signatureLayers(signBundle, { kind: 'signature' })).toHaveLength(1);
    expect(signatureLayers(signBundle, slsa)).toHaveLength(0);
    expect(signatureLayers(slsaBundle, { kind: 'signature' })).toHaveLength(0);
    // another predicate type is still examined, so the refusal can name it
    expect(signatureLayers(found([SIGSTORE_BUNDLE.v03], 'https://spdx.dev/Document'), slsa)).toHaveLength(1);
    expect(signatureLayers(unhinted, { kind: 'signature' })).toHaveLength(1);
    expect(signatureLayers(unhinted, slsa)).toHaveLength(1);
  });
});
