import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { gantry, json } from '../cli/run-cli.js';
import { serveProcess } from './serve-process.js';
import { until } from './until.js';

/** A raw HTTP request, so that Host and Origin are exactly what a browser (or an attacker's page) sends. */
function raw(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, path: u.pathname, method: o.method ?? 'GET', headers: o.headers ?? {} },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('open mode on a real gantry serve: safe on a developer machine', () => {
  it('GIVEN an open server WHEN a page cross-site or by DNS rebinding asks THEN refused; WHEN gantry token create runs beside it THEN open mode ends without a restart', async () => {
    await using tmp = await tempDir('gantry-open-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    // staging is behind: a promotion request that got through would queue
    await pushSandboxImage(dir);
    const server = await serveProcess(dir);
    try {
      const { port } = new URL(server.url);
      const history = async () =>
        (
          (await (await fetch(`${server.url}/api/v1/pipelines/app/phases/staging/history`)).json()) as {
            items: unknown[];
          }
        ).items;
      expect((await fetch(`${server.url}/api/v1/pipelines`)).status).toBe(200);

      // a form on evil.example posting to 127.0.0.1 (a "simple" request: no preflight)
      const form = await raw(`${server.url}/api/v1/pipelines/app/phases/production/promotions`, {
        method: 'POST',
        headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'reason=pwned',
      });
      expect(form.status).toBe(403);
      expect(JSON.parse(form.body)).toMatchObject({ code: 'cross_origin_refused' });
      const bodyless = await raw(`${server.url}/api/v1/pipelines/app/phases/staging/promotions`, { method: 'POST' });
      expect(bodyless.status).toBe(415);
      expect(await history()).toEqual([]);

      // evil.example's DNS answer flipped to 127.0.0.1: same origin for the browser, but not our name
      const rebound = await raw(`${server.url}/api/v1/pipelines`, { headers: { host: `evil.example:${port}` } });
      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body)).toMatchObject({
        code: 'host_not_allowed',
        detail: expect.stringContaining(`evil.example:${port}`),
      });
      expect((await raw(`${server.url}/api/v1/pipelines`, { headers: { host: `localhost:${port}` } })).status).toBe(
        200,
      );

      // WHEN a token is created by another process on the same database
      const created = await gantry(['token', 'create', '--name', 'ci', '--role', 'admin', '--json'], dir);
      expect(created.code).toBe(0);
      const { token } = json<{ token: string }>(created);

      // THEN anonymous callers are refused (it re-checks every 500 ms; the deadline is only a safety net)
      const refused = await until(
        async () => {
          const r = await fetch(`${server.url}/api/v1/pipelines`);
          return r.status === 401 ? r : undefined;
        },
        'open mode to end',
        100,
      );
      expect(await refused.json()).toMatchObject({ code: 'unauthorized' });
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ name: 'ci', role: 'admin', open: false });
      expect(server.output()).toContain('open mode ended');
    } finally {
      await server.stop();
    }
  });
});
