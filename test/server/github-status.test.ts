import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { RunningServer } from '@gantry/server';
import { startServer } from '@gantry/server';
import {
  commitToBareRepo,
  createBareRepo,
  hasTool,
  pushTestImage,
  startGitHubFake,
  startRegistry,
  tempDir,
} from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { until } from './until.js';

const ZERO = `sha256:${'0'.repeat(64)}`;

describe.skipIf(!hasTool('docker-registry'))('a GitHub commit status on the source commit', () => {
  it('GIVEN an image labelled with the commit it was built from WHEN promoted THEN GitHub gets a success status on that commit, in the promotion’s context', async () => {
    const registry = await startRegistry();
    const tmp = await tempDir('gantry-gh-status-');
    // the application's own repository on "GitHub", with the commit the image was built from
    const source = join(tmp.path, 'app-source.git');
    await createBareRepo(source, { 'main.go': 'package main\n' });
    const sha = await commitToBareRepo(source, { files: { 'main.go': 'package main // v2\n' }, message: 'v2' });
    const github = await startGitHubFake({
      repositories: { 'acme/app': source },
      tokens: { 'gh-token': 'gantry-bot' },
    });
    let server: RunningServer | undefined;
    let runtime: Awaited<ReturnType<typeof openRuntime>> | undefined;
    try {
      const digest = await pushTestImage(registry.url, 'app', 'latest', {
        labels: {
          'org.opencontainers.image.revision': sha,
          'org.opencontainers.image.source': 'https://github.com/acme/app',
        },
      });
      await createBareRepo(join(tmp.path, 'config.git'), {
        'staging.yaml': `image: ${registry.host}/app@${ZERO}\n`,
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
notifications:
  channels:
    github: { type: github-status, token: gh-token, baseUrl: "${github.url}" }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: staging.yaml, updater: { type: image-path, path: image } }
`,
      );
      runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
      server = await startServer({ runtime, listen: false });
      // WHEN
      const res = await server.app.request('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(202);
      await server.deps.promotions.idle();
      // THEN
      const [status] = await until(async () => {
        const s = github.statuses('acme/app', sha);
        return s.length > 0 ? s : undefined;
      }, 'a commit status');
      expect(status).toMatchObject({ state: 'success', context: 'gantry/app/staging' });
      expect(digest).toMatch(/^sha256:/);
    } finally {
      await server?.close();
      await runtime?.close();
      await github.stop();
      await registry.stop();
      await tmp.remove();
    }
  }, 60_000);
});
