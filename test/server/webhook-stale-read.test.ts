import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { RunningServer } from '@gantry/server';
import { signBody, startServer } from '@gantry/server';
import { createBareRepo, hasTool, pushTestImage, readBareFile, startRegistry, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { deploymentYaml } from './git-pipelines.js';
import { startRegistryProxy } from '../oci/registry-proxy.js';
import { until } from './until.js';

const SECRET = 'hook-secret';
const ZERO = `sha256:${'0'.repeat(64)}`;
const deployment = (host: string) => deploymentYaml(ZERO, `${host}/app`);

describe.skipIf(!hasTool('docker-registry'))('a registry push while an older read is in flight', () => {
  it('GIVEN two pipelines on one image and a read that began before the push WHEN the push webhook arrives THEN both pipelines are promoted to the pushed version', async () => {
    const registry = await startRegistry();
    const tmp = await tempDir('gantry-stale-read-');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holding = false;
    let held = false;
    // the first tag read after `holding` is answered by the registry at once, but reaches Gantry only on release
    const proxy = await startRegistryProxy(registry.url, {
      hold: ({ method, path }) => {
        if (!holding || held || method !== 'HEAD' || path !== '/v2/app/manifests/latest') return undefined;
        held = true;
        return gate;
      },
    });
    let server: RunningServer | undefined;
    let runtime: Awaited<ReturnType<typeof openRuntime>> | undefined;
    try {
      await pushTestImage(registry.url, 'app', 'latest', { labels: { v: '1' } });
      const bare = join(tmp.path, 'config.git');
      await createBareRepo(bare, { 'a.yaml': deployment(registry.host), 'b.yaml': deployment(registry.host) });
      const pipeline = (name: string) => `  - name: ${name}
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        autoPromote: true
        source: { type: git, repository: config, path: ${name}.yaml, updater: { type: kubernetes-image, container: app } }
`;
      await writeFile(
        join(tmp.path, 'gantry.yaml'),
        `dataDir: .gantry
repositories:
  config: { url: ./config.git }
registries:
  reg: { url: "${proxy.url}", host: "${registry.host}", cacheTtl: 0s }
server:
  webhookSecret: ${SECRET}
  schedules: []
pipelines:
${pipeline('a')}${pipeline('b')}`,
      );
      runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
      server = await startServer({ runtime, listen: false });
      const s = server;
      // GIVEN a read of pipeline a that asked the registry before the push (its answer is held);
      // cacheTtl 0s: reconciles ask the registry every time instead of using the tag cache
      holding = true;
      const before = s.deps.state.refresh(['a']);
      await until(async () => (held ? true : undefined), 'the read to be in flight');
      const pushed = await pushTestImage(registry.url, 'app', 'latest', { labels: { v: '2' } });
      // WHEN the registry announces the push
      const body = JSON.stringify({
        events: [{ action: 'push', target: { repository: 'app', tag: 'latest', digest: pushed } }],
      });
      const hook = await s.app.request('/api/v1/webhooks/registry', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-gantry-signature-256': signBody(SECRET, body) },
      });
      expect(hook.status).toBe(202);
      // the webhook's reconcile reads both pipelines while the older read is still held
      await new Promise((r) => setTimeout(r, 300));
      release();
      await before;
      // THEN both pipelines reach the pushed version: neither takes the held, older answer for news
      for (const file of ['a.yaml', 'b.yaml']) {
        await until(
          async () => ((await readBareFile(bare, 'main', file)).includes(pushed) ? true : undefined),
          `${file} promoted`,
        );
      }
    } finally {
      release();
      await server?.close();
      await runtime?.close();
      await proxy.stop();
      await registry.stop();
      await tmp.remove();
    }
  }, 60_000);
});
