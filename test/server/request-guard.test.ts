import { pushSandboxImage } from '@gantry/cli';
import { createClient } from '@gantry/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

/** The fetch a browser page on `origin` has: every request goes to the app, non-GET ones carry `Origin`. */
const browserFetch =
  (s: SandboxServer, origin: string): typeof fetch =>
  async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if ((init.method ?? 'GET') !== 'GET') headers.set('origin', origin);
    return s.server.app.request(String(input), { ...init, headers });
  };

describe('open mode through app.request(): cross-site requests and DNS rebinding', () => {
  let s: SandboxServer;
  beforeAll(async () => {
    s = await sandboxServer();
    // staging is behind: a request that got through would queue a promotion
    await pushSandboxImage(s.dir);
  });
  afterAll(() => s.close());

  const queued = async () => (await s.server.store.unfinishedPromotions()).length;

  it('GIVEN an open server WHEN evil.example posts a form to it THEN 403 cross_origin_refused and nothing is queued', async () => {
    expect(s.server.deps.open).toBe(true);
    const r = await s.server.app.request('http://127.0.0.1:8080/api/v1/pipelines/app/phases/staging/promotions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      body: 'reason=pwned',
    });
    expect(r.status).toBe(403);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(await r.json()).toMatchObject({
      code: 'cross_origin_refused',
      detail: expect.stringContaining('evil.example'),
    });
    expect(await queued()).toBe(0);
    expect((await s.server.store.listAudit({})).items).toEqual([]);
  });

  it('GIVEN an open server WHEN a body-less or form POST comes without Origin THEN 415 and nothing is queued', async () => {
    const simple: Record<string, string>[] = [
      {},
      { 'content-type': 'text/plain' },
      { 'content-type': 'multipart/form-data; boundary=x' },
    ];
    for (const headers of simple) {
      const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', headers });
      expect(r.status).toBe(415);
      expect(await r.json()).toMatchObject({ code: 'unsupported_media_type' });
    }
    expect(await queued()).toBe(0);
  });

  it('GIVEN an open server WHEN a request names a rebound host THEN refused naming the host, reads included', async () => {
    for (const method of ['GET', 'POST']) {
      const r = await s.server.app.request('http://evil.example:8080/api/v1/pipelines', {
        method,
        headers: { host: 'evil.example:8080', 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({
        code: 'host_not_allowed',
        detail: expect.stringContaining('evil.example:8080'),
      });
    }
    const page = await s.server.app.request('http://evil.example:8080/', { headers: { host: 'evil.example:8080' } });
    expect(page.status).toBe(403);
  });

  it('GIVEN the dashboard on the server origin WHEN it reads and promotes through the client THEN it works', async () => {
    for (const origin of ['http://127.0.0.1:8080', 'http://localhost:8080']) {
      const client = createClient({ baseUrl: origin, fetch: browserFetch(s, origin) });
      expect((await client.me()).open).toBe(true);
      expect((await client.listPipelines()).pipelines.map((p) => p.pipeline)).toContain('app');
    }
    const client = createClient({ baseUrl: 'http://[::1]:8080', fetch: browserFetch(s, 'http://[::1]:8080') });
    const result = await client.promote('app', 'staging', { reason: 'from the dashboard' });
    expect(result).toMatchObject({ kind: 'queued' });
    await s.server.deps.promotions.idle();
  });
});

describe('with tokens: the token admits, the Origin rule stays', () => {
  let s: SandboxServer;
  let token: string;
  beforeAll(async () => {
    const first = await sandboxServer();
    token = (await first.server.store.createToken({ name: 'web', role: 'admin' })).token;
    s = await first.restart();
  });
  afterAll(() => s.close());

  it('GIVEN tokens WHEN the server is asked under its public name THEN answered; a cross-site POST is still refused', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const read = await s.server.app.request('https://gantry.example.com/api/v1/pipelines', {
      headers: { ...auth, host: 'gantry.example.com' },
    });
    expect(read.status).toBe(200);
    const cross = await s.server.app.request(
      'https://gantry.example.com/api/v1/pipelines/app/phases/staging/promotions',
      {
        method: 'POST',
        headers: {
          ...auth,
          host: 'gantry.example.com',
          origin: 'https://evil.example',
          'content-type': 'application/json',
        },
        body: '{}',
      },
    );
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ code: 'cross_origin_refused' });
    // without a token nothing else matters: 401
    expect((await s.server.app.request('https://gantry.example.com/api/v1/pipelines')).status).toBe(401);
  });

  it('GIVEN the dashboard behind a TLS proxy WHEN it promotes with its token THEN the Origin matches the forwarded host', async () => {
    const client = createClient({
      baseUrl: 'https://gantry.example.com',
      token,
      fetch: async (input, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set('origin', 'https://gantry.example.com');
        // the proxy rewrote Host to the upstream address and says what it was
        headers.set('host', '10.0.0.7:8080');
        headers.set('x-forwarded-host', 'gantry.example.com');
        return s.server.app.request(String(input).replace('https://gantry.example.com', 'http://10.0.0.7:8080'), {
          ...init,
          headers,
        });
      },
    });
    expect(await client.promote('app', 'staging', {})).toMatchObject({ kind: 'in-sync' });
  });
});
