import {
  generateSigningKey,
  hasTool,
  pushTestImage,
  readBareFile,
  signTestImage,
  startRegistry,
  tempDir,
} from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { gatedStaging } from './gated-staging.js';
import { gantry, json } from './run-cli.js';

interface WhyJson {
  gates?: { verdicts: Array<{ gate: string; outcome: string; reason: string; evidence: { verifiedBy?: string } }> };
}

describe.skipIf(!hasTool('docker-registry'))('a signature gate judged by the local CLI', () => {
  it('GIVEN staging requires a signature by the release key WHEN gantry promotes locally THEN the registry is asked: an unsigned image is refused saying so, a signed one is promoted', async () => {
    const registry = await startRegistry();
    await using tmp = await tempDir('gantry-cli-signature-');
    const release = generateSigningKey('ecdsa-p256');
    try {
      const bare = await gatedStaging(
        tmp.path,
        registry,
        `          - kind: signature
            name: release-signed
            keys:
              - id: release
                publicKey: |
${release.publicKeyPem
  .trim()
  .split('\n')
  .map((l) => `                  ${l}`)
  .join('\n')}
`,
      );
      const env = { GANTRY_SERVER: '', GANTRY_TOKEN: '' };

      // an unsigned image: refused, and the reason is the registry's answer, not a missing fact
      await pushTestImage(registry.url, 'app', 'latest', { labels: { v: '1' } });
      const unsigned = await gantry(['promote', 'app', 'staging'], tmp.path, env);
      expect(unsigned.code, unsigned.stderr).toBe(3);
      expect(unsigned.stderr).toContain('release-signed');
      const why = json<WhyJson>(await gantry(['why', 'app', 'staging', '--json'], tmp.path, env));
      expect(why.gates?.verdicts[0]).toMatchObject({ gate: 'release-signed', outcome: 'block' });
      expect(why.gates?.verdicts[0]?.reason).not.toMatch(/no signature check|not checked|recorded/i);

      // signed with the release key: the local promotion passes the gate and writes
      const good = await pushTestImage(registry.url, 'app', 'latest', { labels: { v: '2' } });
      await signTestImage(registry.url, 'app', good, { key: release });
      const signedWhy = json<WhyJson>(await gantry(['why', 'app', 'staging', '--json'], tmp.path, env));
      expect(signedWhy.gates?.verdicts[0]).toMatchObject({
        gate: 'release-signed',
        outcome: 'pass',
        evidence: { verifiedBy: 'release' },
      });
      const ok = await gantry(['promote', 'app', 'staging'], tmp.path, env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(await readBareFile(bare, 'main', 'staging.yaml')).toContain(good);
    } finally {
      await registry.stop();
    }
  }, 120_000);
});
