import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '@gantry/core';
import type { Runtime } from '@gantry/config';
import { openRuntime } from '@gantry/config';
import type { TempDir, TestHelmRepository } from '@gantry/testing';
import { hasTool, startHelmRepository, tempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { day } from './helpers.js';

describe.skipIf(!hasTool('tar'))('a Helm repository in a runtime built from gantry.yaml', () => {
  let tmp: TempDir;
  let repo: TestHelmRepository;
  let runtime: Runtime | undefined;
  beforeEach(async () => {
    tmp = await tempDir('gantry-helm-runtime-');
    repo = await startHelmRepository();
    await repo.publish({ name: 'app', version: '1.0.0', created: day(1) });
    // an hour of freshness: only the webhook can make the second read ask again
    await writeFile(
      join(tmp.path, 'gantry.yaml'),
      `registries:
  charts: { helm: ${repo.url}, staleAfter: 1h }
  images: { url: http://127.0.0.1:9 }
pipelines:
  - name: app
    resource: helm-chart
    phases:
      - name: charts
        source: { type: helm, registry: charts, chart: app }
`,
    );
  });
  afterEach(async () => {
    await runtime?.close();
    await repo.stop();
    await tmp.remove();
  });

  const version = async (r: Runtime) => (await r.engine.status('app'))[0]?.phases[0]?.version;

  it('GIVEN a chart read once WHEN a registry push webhook names the Helm repository THEN the next read sees the new version', async () => {
    runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
    expect(await version(runtime)).toBe('app@1.0.0');
    await repo.publish({ name: 'app', version: '1.1.0', created: day(2) });
    // fresh for an hour: still the index read before
    expect(await version(runtime)).toBe('app@1.0.0');
    // WHEN the server's webhook handler passes the push on, as it does for OCI registries
    runtime.registries.changed('app', 'charts');
    // THEN
    expect(await version(runtime)).toBe('app@1.1.0');
    expect(repo.requests().filter((r) => r.path.endsWith('/index.yaml'))).toHaveLength(2);
    // AND the OCI registries are built without the Helm one
    expect(runtime.registries.names()).toEqual(['images']);
  });
});
