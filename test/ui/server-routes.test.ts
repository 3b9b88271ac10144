import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes } from '../../packages/server/src/routes/dashboard.js';
import type { SandboxServer } from '../server/sandbox-server.js';
import { sandboxServer } from '../server/sandbox-server.js';

describe('dashboard files', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('gantry-dist-');
    await mkdir(join(tmp.path, 'dist', 'assets'), { recursive: true });
    await writeFile(join(tmp.path, 'dist', 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(tmp.path, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(tmp.path, 'secret.txt'), 'not served');
  });
  afterAll(() => tmp.remove());

  it('GIVEN a build WHEN an app path is asked THEN index.html, not cached; WHEN a hashed asset THEN cached for good', async () => {
    const app = dashboardRoutes({ dir: join(tmp.path, 'dist') });
    for (const path of ['/', '/pipelines/app/phases/staging']) {
      const r = await app.request(path);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(await r.text()).toContain('id="root"');
    }
    const js = await app.request('/assets/index-abc123.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    const outside = await app.request('/assets/..%2f..%2fsecret.txt');
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain('not served');
  });

  it('GIVEN no build THEN / says how to build it and where the API is', async () => {
    const r = await dashboardRoutes({ dir: join(tmp.path, 'nothing') }).request('/');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('npm run build');
    expect(html).toContain('/api/openapi.json');
  });
});

describe('GET /api/v1/me and the dashboard beside the API', () => {
  let s: SandboxServer;
  beforeAll(async () => {
    s = await sandboxServer({
      serverYaml: ['server:', '  permissions:', '    - { phase: production, role: admin }', ''].join('\n'),
    });
  });
  afterAll(() => s.close());

  it('GIVEN an open server THEN anonymous admin with the permission rules', async () => {
    const r = await s.api('/api/v1/me');
    expect(await r.json()).toEqual({
      name: 'anonymous',
      role: 'admin',
      open: true,
      permissions: [{ pipeline: '*', phase: 'production', role: 'admin' }],
    });
  });

  let token = '';
  it('GIVEN tokens THEN /me names the token and role; without one THEN 401', async () => {
    ({ token } = await s.server.store.createToken({ name: 'ci', role: 'promoter' }));
    s = await s.restart();
    expect((await s.api('/api/v1/me')).status).toBe(401);
    expect(await (await s.api('/api/v1/me', { token })).json()).toMatchObject({
      name: 'ci',
      role: 'promoter',
      open: false,
    });
  });

  it('GIVEN an unknown API path THEN problem+json 404, never the dashboard', async () => {
    const r = await s.api('/api/v1/nothing-here', { token });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});
