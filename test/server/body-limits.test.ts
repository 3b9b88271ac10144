import { request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '@gantry/server';
import { createApp, signBody } from '@gantry/server';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

const SECRET = 'flood-s3cret';
const MB = 1024 * 1024;
const DEFAULT_WEBHOOK_LIMIT = 5 * MB;

/** An app on a real port, counting the bytes its server reads from each connection. */
async function listening(app: OpenAPIHono<AppEnv>) {
  const sockets = new Map<number, Socket>();
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  server.on('connection', (socket: Socket) => {
    if (socket.remotePort !== undefined) sockets.set(socket.remotePort, socket);
  });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    /** Bytes the server read from the connection whose client end is on `clientPort`. */
    bytesReadFrom: (clientPort: number | undefined) => (clientPort ? (sockets.get(clientPort)?.bytesRead ?? 0) : 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections(): void }).closeAllConnections();
      }),
  };
}

interface Sent {
  readonly status: number | undefined;
  readonly body: string;
  readonly clientPort: number | undefined;
  readonly sent: number;
}

/**
 * POSTs `total` bytes in 1 MiB writes (one buffer, reused: the client holds 1 MiB, not 50),
 * as fast as the server takes them, and stops when the server answers or hangs up.
 */
function post(port: number, path: string, headers: Record<string, string>, total: number, chunked: boolean) {
  return new Promise<Sent>((resolve) => {
    const chunk = Buffer.alloc(MB, 0x61);
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: chunked ? headers : { ...headers, 'content-length': String(total) },
    });
    let status: number | undefined;
    let body = '';
    let clientPort: number | undefined;
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve({ status, body, clientPort, sent });
      req.destroy();
    };
    req.on('socket', (s) => {
      if (s.localPort) clientPort = s.localPort;
      else s.once('connect', () => (clientPort = s.localPort));
    });
    req.on('response', (res) => {
      status = res.statusCode;
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', finish);
      res.on('error', finish);
    });
    // the server hanging up mid-upload is what a refusal looks like to a writer
    req.on('error', () => setTimeout(finish, 50));
    const write = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      if (!done) req.end();
    };
    write();
  });
}

describe('bounded input on a real listening server', () => {
  let s: SandboxServer;
  beforeAll(async () => {
    s = await sandboxServer({ serverYaml: `server:\n  webhookSecret: ${SECRET}\n  schedules: []\n` });
  });
  afterAll(() => s.close());

  it('GIVEN 20 concurrent 50 MB webhook bodies, unsigned or badly signed, streamed or declared WHEN posted THEN each is refused having had at most the limit read', async () => {
    const server = await listening(s.server.app);
    try {
      const badSignature = { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`, 'content-type': 'application/json' };
      // Refused requests are closed the way web servers close them: answer, then discard what is in
      // flight for a moment (at most 2 MiB) so that the client reads the answer instead of a reset.
      // What the server reads is bounded by that and the limit, not by the 50 MB offered.
      const linger = 6 * MB;
      const kinds = [
        // no signature at all: refused on its headers
        { headers: { 'content-type': 'application/json' }, chunked: false, status: 401, most: linger },
        { headers: { 'content-type': 'application/json' }, chunked: true, status: 401, most: linger },
        // a signature header, a declared length over the limit: refused on its headers
        { headers: badSignature, chunked: false, status: 413, most: linger },
        // a signature header, no declared length: read up to the limit, then refused
        { headers: badSignature, chunked: true, status: 413, most: DEFAULT_WEBHOOK_LIMIT + linger },
      ];
      const requests = Array.from({ length: 20 }, (_, i) => kinds[i % kinds.length] as (typeof kinds)[number]);
      const results = await Promise.all(
        requests.map((k) => post(server.port, '/api/v1/webhooks/registry', k.headers, 50 * MB, k.chunked)),
      );
      let total = 0;
      for (const [i, r] of results.entries()) {
        const k = requests[i] as (typeof kinds)[number];
        const read = server.bytesReadFrom(r.clientPort);
        total += read;
        expect(r.clientPort).toBeDefined();
        expect({ i, status: r.status, read: read <= k.most }).toEqual({ i, status: k.status, read: true });
        expect(JSON.parse(r.body)).toMatchObject({ code: k.status === 413 ? 'payload_too_large' : 'unauthorized' });
      }
      // 1000 MB were offered; the server read a small fraction of it
      expect(total).toBeLessThan(5 * DEFAULT_WEBHOOK_LIMIT + 20 * linger);
    } finally {
      await server.close();
    }
  });

  it('GIVEN an API body over 1 MB WHEN a promotion is posted with it THEN 413 and nothing is queued', async () => {
    const server = await listening(s.server.app);
    try {
      const r = await post(
        server.port,
        '/api/v1/pipelines/app/phases/staging/promotions',
        { 'content-type': 'application/json' },
        3 * MB,
        true,
      );
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({
        code: 'payload_too_large',
        detail: expect.stringContaining('1048576'),
      });
      expect(server.bytesReadFrom(r.clientPort)).toBeLessThan(2 * MB);
      expect(await s.server.store.unfinishedPromotions()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('GIVEN a smaller webhook limit configured WHEN a signed body passes it THEN 413; under the default it is accepted', async () => {
    const body = JSON.stringify({ repository: 'app', tag: 'latest', padding: 'x'.repeat(100 * 1024) });
    const init = () => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gantry-signature-256': signBody(SECRET, body) },
      body,
    });
    const small = createApp(s.server.deps, { webhookMaxBodyBytes: 64 * 1024 });
    const refused = await small.request('http://127.0.0.1/api/v1/webhooks/registry', init());
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ code: 'payload_too_large', detail: expect.stringContaining('65536') });
    const accepted = await s.server.app.request('http://127.0.0.1/api/v1/webhooks/registry', init());
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ matched: ['app/oci'] });
  });
});
