import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from './public-key.js';
import { parsePublicKey } from './public-key.js';
import { decodeBase64, findVerifyingKey, verifyBytes } from './verify-bytes.js';

function pair(kind: 'ec' | 'ed25519') {
  const kp = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const parsed = parsePublicKey(String(kp.publicKey.export({ type: 'spki', format: 'pem' })));
  if (!parsed.ok) throw new Error(parsed.message);
  return { privateKey: kp.privateKey, key: parsed.key };
}

const data = new TextEncoder().encode('{"critical":{}}');

describe('verifyBytes', () => {
  it('GIVEN an ECDSA P-256 signature in DER and in raw r||s WHEN verified THEN both verify, and not over other bytes', () => {
    // GIVEN
    const { privateKey, key } = pair('ec');
    const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
    const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    // WHEN / THEN
    expect(raw.byteLength).toBe(64);
    expect(verifyBytes(key, data, der)).toBe(true);
    expect(verifyBytes(key, data, raw)).toBe(true);
    expect(verifyBytes(key, new TextEncoder().encode('{"critical":{ }}'), der)).toBe(false);
  });

  it('GIVEN an Ed25519 signature WHEN verified THEN it verifies with its key only', () => {
    const a = pair('ed25519');
    const b = pair('ed25519');
    const sig = sign(null, data, a.privateKey);
    expect(verifyBytes(a.key, data, sig)).toBe(true);
    expect(verifyBytes(b.key, data, sig)).toBe(false);
  });

  it("GIVEN RFC 8032's Ed25519ph test vector (cosign's default for Ed25519 keys) WHEN verified THEN it verifies, and not over other bytes", () => {
    // GIVEN: RFC 8032 section 7.3, "TEST abc"
    const raw = Buffer.from('ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf', 'hex');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    const parsed = parsePublicKey(String(key.export({ type: 'spki', format: 'pem' })));
    if (!parsed.ok) throw new Error(parsed.message);
    const sig = Buffer.from(
      '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
      'hex',
    );
    // WHEN / THEN
    expect(verifyBytes(parsed.key, new TextEncoder().encode('abc'), sig)).toBe(true);
    expect(verifyBytes(parsed.key, new TextEncoder().encode('abd'), sig)).toBe(false);
  });

  it('GIVEN signatures that are garbage or of the other algorithm WHEN verified THEN false, never a throw', () => {
    const ec = pair('ec');
    const ed = pair('ed25519');
    const edSig = sign(null, data, ed.privateKey);
    expect(verifyBytes(ec.key, data, edSig)).toBe(false);
    expect(verifyBytes(ec.key, data, new Uint8Array([0x30, 0x02, 0x01]))).toBe(false);
    expect(verifyBytes(ed.key, data, new Uint8Array(3))).toBe(false);
  });

  it('GIVEN several keys WHEN looking for the one that verifies THEN the signer is found', () => {
    const keys: VerificationKey[] = [pair('ec').key, pair('ed25519').key];
    const signer = pair('ec');
    const sig = sign('sha256', data, signer.privateKey);
    expect(findVerifyingKey(keys, data, sig)).toBeUndefined();
    expect(findVerifyingKey([...keys, signer.key], data, sig)).toBe(signer.key);
  });
});

describe('decodeBase64', () => {
  it('GIVEN standard, URL-safe and unpadded base64 WHEN decoded THEN the bytes; anything else undefined', () => {
    expect(decodeBase64('aGk/Pz4+')).toEqual(new TextEncoder().encode('hi??>>'));
    expect(decodeBase64('aGk_Pz4-')).toEqual(new TextEncoder().encode('hi??>>'));
    expect(decodeBase64('aGk')).toEqual(new TextEncoder().encode('hi'));
    for (const bad of ['', 'not base64!', 'a', 'aGk/Pz4-', '%%%%']) expect(decodeBase64(bad)).toBeUndefined();
  });
});
