import { generateKeyPairSync } from 'node:crypto';
import type { Pipeline, Resource } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { codeGateIssues } from './code-gates.js';
import { phaseGatesSchema, signatureKeyProblems } from './gate-keys.js';

const ed25519 = generateKeyPairSync('ed25519');
const publicPem = ed25519.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const privatePem = ed25519.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const garbled = '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----';

const signature = (...keys: { id: string; publicKey: string }[]) => ({ kind: 'signature', keys });

describe('signature keys are parsed when the configuration is read', () => {
  it('GIVEN an Ed25519 public key THEN no problem; GIVEN a private key or a garbled block THEN each is named by gate, key and field', () => {
    expect(signatureKeyProblems([signature({ id: 'ok', publicKey: publicPem })])).toEqual([]);
    expect(
      signatureKeyProblems([
        { kind: 'approval', roles: ['admin'] },
        signature({ id: 'ok', publicKey: publicPem }, { id: 'secret', publicKey: privatePem }),
        signature({ id: 'junk', publicKey: garbled }),
      ]),
    ).toEqual([
      {
        path: [1, 'keys', 1, 'publicKey'],
        id: 'secret',
        message: expect.stringMatching(
          /^the public key "secret" is a private key \(PRIVATE KEY\); configure the public key/,
        ),
      },
      {
        path: [2, 'keys', 0, 'publicKey'],
        id: 'junk',
        message: expect.stringMatching(/^the public key "junk" does not parse as a public key/),
      },
    ]);
    expect(signatureKeyProblems('not gates')).toEqual([]);
  });

  it('GIVEN a bad key beside another gate that does not parse THEN both are reported at once', () => {
    const r = phaseGatesSchema.safeParse([
      { kind: 'window', timeZone: 'Mars/Olympus', allow: [{ days: 'mon-fri' }] },
      signature({ id: 'junk', publicKey: garbled }),
    ]);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['0.timeZone', '1.keys.0.publicKey']);
  });

  it('GIVEN gates of a pipeline as code THEN issues name pipeline, phase, gate and field, with a literal to find the line by (key problems after the others)', () => {
    const code = [
      {
        name: 'app',
        phases: [
          { name: 'oci', promotesFrom: [] },
          {
            name: 'prod',
            gates: [
              { kind: 'window', name: 'hours', timeZone: 'Mars/Olympus', allow: [{ days: 'mon-fri' }] },
              signature({ id: 'junk', publicKey: garbled }),
              { kind: 'approval', roles: ['overlord'] },
            ],
          },
        ],
      },
    ] as unknown as Pipeline<Resource>[];
    expect(codeGateIssues(code)).toEqual([
      {
        path: 'pipelines[0](app).phases[1](prod).gates[0].timeZone',
        message: expect.stringContaining('Mars/Olympus'),
        value: 'Mars/Olympus',
        key: 'timeZone',
      },
      {
        path: 'pipelines[0](app).phases[1](prod).gates[2].roles[0]',
        message: expect.stringContaining('overlord'),
        value: 'overlord',
      },
      {
        path: 'pipelines[0](app).phases[1](prod).gates[1].keys[0].publicKey',
        message: expect.stringContaining('"junk"'),
        value: 'junk',
        key: 'id',
      },
    ]);
  });
});
