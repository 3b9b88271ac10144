import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePublicKey } from './public-key.js';

const spki = (kp: { publicKey: { export(o: { type: 'spki'; format: 'pem' }): string | Buffer } }) =>
  String(kp.publicKey.export({ type: 'spki', format: 'pem' }));

describe('parsePublicKey', () => {
  it('GIVEN a P-256 SPKI PEM WHEN parsed THEN it is an ecdsa-p256 key named by its fingerprint', () => {
    // GIVEN
    const pem = spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    // WHEN
    const parsed = parsePublicKey(pem);
    // THEN
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.key.algorithm).toBe('ecdsa-p256');
    expect(parsed.key.fingerprint).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(parsed.key.id).toBe(parsed.key.fingerprint);
    expect(parsePublicKey(pem, 'release')).toMatchObject({ ok: true, key: { id: 'release' } });
  });

  it('GIVEN an Ed25519 SPKI PEM WHEN parsed THEN it is an ed25519 key, and the same key has the same fingerprint', () => {
    const pem = spki(generateKeyPairSync('ed25519'));
    const a = parsePublicKey(pem);
    const b = parsePublicKey(`\n${pem}\n`);
    expect(a).toMatchObject({ ok: true, key: { algorithm: 'ed25519' } });
    expect(a.ok && b.ok && a.key.fingerprint === b.key.fingerprint).toBe(true);
  });

  it('GIVEN a private key WHEN parsed THEN refused, telling to configure the public key', () => {
    const kp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = String(kp.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(parsePublicKey(pem)).toEqual({ ok: false, message: expect.stringMatching(/is a private key .*public key/) });
  });

  it('GIVEN keys of other algorithms WHEN parsed THEN refused, naming what was given and what is accepted', () => {
    const p384 = parsePublicKey(spki(generateKeyPairSync('ec', { namedCurve: 'P-384' })));
    expect(p384).toEqual({ ok: false, message: expect.stringContaining('ec (secp384r1) key') });
    const rsa = parsePublicKey(spki(generateKeyPairSync('rsa', { modulusLength: 2048 })));
    expect(rsa).toEqual({ ok: false, message: expect.stringContaining('ECDSA P-256 and Ed25519') });
  });

  it('GIVEN text that is no PEM, two keys, or a PEM whose body is garbage WHEN parsed THEN each is refused', () => {
    const pem = spki(generateKeyPairSync('ed25519'));
    expect(parsePublicKey('ssh-ed25519 AAAA')).toMatchObject({ ok: false, message: /no -----BEGIN PUBLIC KEY-----/ });
    expect(parsePublicKey(pem + pem)).toMatchObject({ ok: false, message: /holds 2 PEM blocks/ });
    const broken = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
    expect(parsePublicKey(broken)).toMatchObject({ ok: false, message: /does not parse as a public key/ });
    const cert = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(parsePublicKey(cert)).toMatchObject({ ok: false, message: /is a certificate/ });
  });
});
