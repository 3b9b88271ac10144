import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { RunningServer } from '@gantry/server';
import { startServer } from '@gantry/server';
import {
  createBareRepo,
  generateSigningKey,
  hasTool,
  pushTestImage,
  readBareFile,
  signTestImage,
  startRegistry,
  tempDir,
} from '@gantry/testing';
import { describe, expect, it } from 'vitest';

const ZERO = `sha256:${'0'.repeat(64)}`;

describe.skipIf(!hasTool('docker-registry'))('a signature gate before staging', () => {
  it('GIVEN staging requires a signature by the release key WHEN a signed, a wrongly signed and an unsigned image are pushed THEN only the signed one is promoted, and the others are refused saying why', async () => {
    const registry = await startRegistry();
    const tmp = await tempDir('gantry-signature-gate-');
    const release = generateSigningKey('ecdsa-p256');
    const stranger = generateSigningKey('ed25519');
    let server: RunningServer | undefined;
    let runtime: Awaited<ReturnType<typeof openRuntime>> | undefined;
    try {
      const bare = join(tmp.path, 'config.git');
      await createBareRepo(bare, {
        'staging.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${registry.host}/app@${ZERO}\n`,
      });
      await writeFile(
        join(tmp.path, 'gantry.yaml'),
        `dataDir: .gantry
repositories:
  config: { url: ./config.git }
registries:
  reg: { url: "${registry.url}", host: "${registry.host}" }
server:
  schedules: []
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: staging.yaml, updater: { type: kubernetes-image, container: app } }
        gates:
          - kind: signature
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
      runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
      server = await startServer({ runtime, listen: false });
      const s = server;
      const promote = async () => {
        await s.deps.state.refresh(['app']);
        return s.app.request('/api/v1/pipelines/app/phases/staging/promotions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      };

      // an unsigned image: refused, the gate says so
      await pushTestImage(registry.url, 'app', 'latest', { labels: { v: '1' } });
      const unsigned = await promote();
      expect(unsigned.status).toBe(409);
      expect(((await unsigned.json()) as { detail: string }).detail).toMatch(/release-signed/);

      // signed with a key the gate does not trust: refused
      const wrong = await pushTestImage(registry.url, 'app', 'latest', { labels: { v: '2' } });
      await signTestImage(registry.url, 'app', wrong, { key: stranger });
      expect((await promote()).status).toBe(409);

      // signed with the release key: promoted
      const good = await pushTestImage(registry.url, 'app', 'latest', { labels: { v: '3' } });
      await signTestImage(registry.url, 'app', good, { key: release });
      const ok = await promote();
      expect(ok.status).toBe(202);
      await s.deps.promotions.idle();
      expect(await readBareFile(bare, 'main', 'staging.yaml')).toContain(good);
      const [p] = (await s.store.listPromotions({ pipeline: 'app', phase: 'staging' })).items;
      expect(p?.gates?.[0]).toMatchObject({ gate: 'release-signed', outcome: 'pass' });
    } finally {
      await server?.close();
      await runtime?.close();
      await registry.stop();
      await tmp.remove();
    }
  }, 60_000);
});
