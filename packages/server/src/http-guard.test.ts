import { milliseconds, silentLogger } from '@gantry/core';
import type { Store } from '@gantry/store';
import { openStore } from '@gantry/store';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimits, hostGuard, isLoopbackHost, parseHost, requestOriginGuard } from './http-guard.js';
import { createOpenMode } from './open-mode.js';
import { problemResponse } from './problem.js';

const isWebhook = (path: string) => path.startsWith('/hooks/');

/** The guards in front of two routes that answer what they read. */
function guarded(o: { open: boolean; store: Store; limit?: number }) {
  const app = new Hono();
  app.onError((e, c) => problemResponse(c, e));
  const mode = createOpenMode({ store: o.store, open: o.open, logger: silentLogger, recheck: milliseconds(60_000) });
  app.use('*', hostGuard(mode));
  app.use('*', requestOriginGuard({ isWebhook }));
  app.use('*', bodyLimits({ api: o.limit ?? 1024, webhooks: 4 * (o.limit ?? 1024), isWebhook }));
  app.all('/api/thing', async (c) => c.json({ read: (await c.req.text()).length }));
  app.post('/hooks/push', async (c) => c.json({ read: (await c.req.arrayBuffer()).byteLength }));
  return app;
}

/** A body of `total` bytes in 1 KiB chunks that counts how much of it was pulled. */
function countedBody(total: number) {
  const counter = { pulled: 0 };
  const chunk = new Uint8Array(1024).fill(120);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= total) return controller.close();
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

describe('the HTTP guard: Host, Origin, content type, body size', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
  });
  afterAll(() => store.close());

  it('GIVEN Host headers WHEN parsed THEN hostname and port, and only loopback names are loopback', () => {
    expect(parseHost('Example.COM:8080')).toEqual({ hostname: 'example.com', port: '8080' });
    expect(parseHost('[::1]:9')).toEqual({ hostname: '[::1]', port: '9' });
    expect(parseHost('localhost')).toEqual({ hostname: 'localhost', port: undefined });
    expect(parseHost('a b')).toBeUndefined();
    expect(parseHost('user@host')).toBeUndefined();
    for (const h of ['127.0.0.1', '127.0.0.1:8080', '[::1]:8080', 'localhost:5173', 'LOCALHOST']) {
      expect(isLoopbackHost(h)).toBe(true);
    }
    for (const h of ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', '0.0.0.0:8080', '::1', '']) {
      expect(isLoopbackHost(h)).toBe(false);
    }
  });

  it('GIVEN an open server WHEN a request names another host THEN 403 host_not_allowed naming it; loopback names pass', async () => {
    const app = guarded({ open: true, store });
    const refused = await app.request('http://evil.example:8080/api/thing');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    const p = (await refused.json()) as { code: string; detail: string };
    expect(p.code).toBe('host_not_allowed');
    expect(p.detail).toContain('evil.example:8080');
    for (const url of ['http://127.0.0.1:8080/api/thing', 'http://[::1]:9/api/thing', 'http://localhost/api/thing']) {
      expect((await app.request(url)).status).toBe(200);
    }
  });

  it('GIVEN a server with tokens WHEN a request names any host THEN the host is not what admits it', async () => {
    const app = guarded({ open: false, store });
    expect((await app.request('http://gantry.example.com/api/thing')).status).toBe(200);
  });

  it('GIVEN a cross-site form WHEN it posts THEN 403 cross_origin_refused; without an Origin 415', async () => {
    const app = guarded({ open: true, store });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const cross = await app.request('http://127.0.0.1:8080/api/thing', {
      method: 'POST',
      headers: { ...form, origin: 'http://evil.example' },
      body: 'a=1',
    });
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ code: 'cross_origin_refused' });
    const originless = await app.request('http://127.0.0.1:8080/api/thing', {
      method: 'POST',
      headers: form,
      body: 'a=1',
    });
    expect(originless.status).toBe(415);
    expect(await originless.json()).toMatchObject({
      code: 'unsupported_media_type',
      detail: expect.stringContaining('X-Gantry-Request'),
    });
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect((await app.request('http://127.0.0.1:8080/api/thing', { method })).status).toBe(415);
    }
  });

  it('GIVEN mutating requests WHEN they carry JSON, X-Gantry-Request or a token THEN they pass', async () => {
    const app = guarded({ open: false, store });
    const url = 'http://127.0.0.1:8080/api/thing';
    const passing: Record<string, string>[] = [
      { 'content-type': 'application/json; charset=utf-8' },
      { 'content-type': 'application/merge-patch+json' },
      { 'x-gantry-request': '1' },
      { authorization: 'Bearer gty_x' },
    ];
    for (const headers of passing) {
      expect((await app.request(url, { method: 'POST', headers, body: '{}' })).status).toBe(200);
    }
    expect(
      (await app.request(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status,
    ).toBe(415);
  });

  it('GIVEN an Origin WHEN it is the server itself (Host, default ports, a proxy X-Forwarded-Host) THEN it passes; null or another never', async () => {
    const app = guarded({ open: false, store });
    const post = (url: string, headers: Record<string, string>) =>
      app.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await post('http://127.0.0.1:8080/api/thing', { origin: 'http://127.0.0.1:8080' })).status).toBe(200);
    expect((await post('http://gantry.example/api/thing', { origin: 'https://gantry.example' })).status).toBe(200);
    expect((await post('http://gantry.example/api/thing', { origin: 'http://gantry.example:80' })).status).toBe(200);
    expect(
      (
        await post('http://10.0.0.5:8080/api/thing', {
          origin: 'https://gantry.example',
          'x-forwarded-host': 'gantry.example',
        })
      ).status,
    ).toBe(200);
    for (const origin of [
      'null',
      'http://127.0.0.1:9999',
      'https://gantry.example.evil.example',
      'file://',
      'garbage',
    ]) {
      expect((await post('http://gantry.example/api/thing', { origin })).status).toBe(403);
    }
    // reading is not refused by Origin: the browser keeps a cross-origin answer from the page
    expect(
      (await app.request('http://gantry.example/api/thing', { headers: { origin: 'http://evil.example' } })).status,
    ).toBe(200);
  });

  it('GIVEN a webhook WHEN its sender posts any content type THEN it passes the content-type rule, not the Origin rule', async () => {
    const app = guarded({ open: false, store });
    const url = 'http://gantry.example/hooks/push';
    expect(
      (await app.request(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status,
    ).toBe(200);
    expect(
      (await app.request(url, { method: 'POST', headers: { origin: 'http://evil.example' }, body: 'x' })).status,
    ).toBe(403);
  });

  it('GIVEN a streamed body over the limit WHEN posted THEN 413 payload_too_large, having read no more than the limit and a chunk', async () => {
    const app = guarded({ open: false, store, limit: 8 * 1024 });
    const { stream, counter } = countedBody(1024 * 1024);
    const r = await app.request('http://gantry.example/api/thing', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ code: 'payload_too_large', detail: expect.stringContaining('8192 bytes') });
    // the stream reads ahead by its high-water mark at most: far from the megabyte sent
    expect(counter.pulled).toBeLessThanOrEqual(8 * 1024 + 4 * 1024);
  });

  it('GIVEN a declared Content-Length over the limit WHEN posted THEN 413 before a byte is read', async () => {
    const app = guarded({ open: false, store, limit: 8 * 1024 });
    const { stream, counter } = countedBody(1024 * 1024);
    const r = await app.request('http://gantry.example/api/thing', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(1024 * 1024) },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(r.status).toBe(413);
    // a ReadableStream pulls once to fill its queue when created; nothing more is asked for
    expect(counter.pulled).toBeLessThanOrEqual(1024);
  });

  it('GIVEN webhooks WHEN their body is over the API limit but within theirs THEN it is read whole', async () => {
    const app = guarded({ open: false, store, limit: 8 * 1024 });
    const body = new Uint8Array(20 * 1024);
    const r = await app.request('http://gantry.example/hooks/push', { method: 'POST', body });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ read: 20 * 1024 });
    const over = await app.request('http://gantry.example/hooks/push', {
      method: 'POST',
      body: new Uint8Array(40 * 1024),
    });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { detail: string }).detail).toContain('server.webhooks.maxBodyBytes');
  });
});
