import type { Duration } from '@gantry/core';
import { CheckCancelledError, parseCheck, runCheck } from '@gantry/checks';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalServer } from './helpers.js';
import { bodyOf, listen, promotion } from './helpers.js';

const quick = { retries: 0, interval: '10ms', timeout: '5s' } as const;

describe('HTTP checks against real local servers', () => {
  const servers: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  async function serve(...args: Parameters<typeof listen>): Promise<LocalServer> {
    const s = await listen(...args);
    servers.push(s);
    return s;
  }

  it('GIVEN a healthy endpoint WHEN it is checked THEN it passes with the status as evidence', async () => {
    const server = await serve((_req, res) => res.end('{"status":"ok"}'));
    const result = await runCheck(parseCheck({ kind: 'http', url: `${server.url}/healthz`, ...quick }), promotion);
    expect(result).toMatchObject({
      name: `http GET ${server.url}/healthz`,
      kind: 'http',
      status: 'passed',
      attempts: 1,
    });
    expect(result.kind === 'http' && result.evidence.statusCode).toBe(200);
    expect(result.output).toContain('{"status":"ok"}');
  });

  it('GIVEN an endpoint answering 503 WHEN it is checked THEN it fails naming both statuses, with the body in the output', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 503;
      res.end('database unavailable');
    });
    const result = await runCheck(parseCheck({ kind: 'http', url: server.url, ...quick }), promotion);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('expected status 200-299, got 503');
    expect(result.kind === 'http' && result.evidence.statusCode).toBe(503);
    expect(result.output).toContain('database unavailable');
  });

  it('GIVEN an accepted list of statuses WHEN the endpoint answers 404 THEN it passes, and 500 fails', async () => {
    const server = await serve((req, res) => {
      res.statusCode = req.url === '/gone' ? 404 : 500;
      res.end();
    });
    const check = (path: string) =>
      parseCheck({ kind: 'http', url: server.url + path, expectStatus: ['2xx', 404], ...quick });
    expect((await runCheck(check('/gone'), promotion)).status).toBe('passed');
    const failed = await runCheck(check('/broken'), promotion);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBe('expected status 200-299, 404, got 500');
  });

  it('GIVEN a body that lacks the expected text WHEN it is checked THEN it fails on the body, by substring and by regex', async () => {
    const server = await serve((_req, res) => res.end('version: 1.4.1'));
    const contains = await runCheck(
      parseCheck({ kind: 'http', url: server.url, expectBody: 'version: {{version}}', ...quick }),
      promotion,
    );
    expect(contains.status).toBe('failed');
    expect(contains.reason).toBe('status 200, but body does not contain "version: 1.4.2"');

    const regex = await runCheck(
      parseCheck({ kind: 'http', url: server.url, expectBody: { regex: '^version: 2\\.' }, ...quick }),
      promotion,
    );
    expect(regex.status).toBe('failed');
    expect(regex.reason).toContain('body does not match /^version: 2\\./');

    const matching = await runCheck(
      parseCheck({ kind: 'http', url: server.url, expectBody: { regex: '^version: 1\\.4\\.\\d+$' }, ...quick }),
      promotion,
    );
    expect(matching.status).toBe('passed');
  });

  it('GIVEN a server that turns healthy on its third request WHEN checked with 3 retries THEN it passes on attempt 3', async () => {
    const server = await serve((_req, res, n) => {
      res.statusCode = n < 3 ? 503 : 200;
      res.end(n < 3 ? 'starting' : 'ready');
    });
    const slept: Duration[] = [];
    const sleep = async (d: Duration) => {
      slept.push(d);
    };
    const check = parseCheck({ kind: 'http', url: server.url, retries: 3, interval: '2s', timeout: '5s' });
    const result = await runCheck(check, promotion, { sleep });
    expect(result.status).toBe('passed');
    expect(result.attempts).toBe(3);
    expect(server.requests()).toBe(3);
    expect(slept).toEqual([{ ms: 2000 }, { ms: 2000 }]);
    expect(result.output).toMatch(/attempt 1: .*got 503\nattempt 2: .*got 503\nattempt 3: .*passed/);
  });

  it('GIVEN a server that never turns healthy WHEN its retries run out THEN it fails after retries + 1 attempts', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 502;
      res.end();
    });
    const result = await runCheck(
      parseCheck({ kind: 'http', url: server.url, retries: 2, interval: '10ms', timeout: '5s' }),
      promotion,
    );
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(3);
    expect(server.requests()).toBe(3);
    expect(result.reason).toBe('expected status 200-299, got 502 (attempt 3 of 3)');
  });

  it('GIVEN a server that never answers WHEN checked with a 200ms timeout THEN each attempt times out and it fails', async () => {
    const server = await serve(() => {
      // accept the request, never answer
    });
    const result = await runCheck(
      parseCheck({ kind: 'http', url: server.url, retries: 1, interval: '10ms', timeout: '200ms' }),
      promotion,
    );
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(2);
    expect(result.reason).toBe('no answer within 200ms (attempt 2 of 2)');
    expect(result.kind === 'http' && result.evidence).toMatchObject({ error: 'timeout' });
    expect(result.kind === 'http' && result.evidence.statusCode).toBeUndefined();
  });

  it('GIVEN nothing listens on the port WHEN it is checked THEN it fails with "connection refused"', async () => {
    const server = await serve((_req, res) => res.end());
    await server.close();
    const result = await runCheck(parseCheck({ kind: 'http', url: `${server.url}/healthz`, ...quick }), promotion);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe(`connection refused (ECONNREFUSED) at ${server.url}/healthz`);
    expect(result.kind === 'http' && result.evidence.error).toBe('ECONNREFUSED');
  });

  it('GIVEN a POST with headers and a body naming the promotion WHEN it runs THEN the server receives them filled in', async () => {
    let seen: { method?: string; header?: string; body?: string } = {};
    const server = await serve(async (req, res) => {
      seen = { method: req.method, header: req.headers['x-gantry-version'] as string, body: await bodyOf(req) };
      res.statusCode = 201;
      res.end();
    });
    const check = parseCheck({
      kind: 'http',
      url: `${server.url}/smoke/{{phase}}`,
      method: 'POST',
      headers: { 'x-gantry-version': '{{version}}', 'content-type': 'application/json' },
      body: '{"digest":"{{digest}}"}',
      expectStatus: 201,
      ...quick,
    });
    const result = await runCheck(check, promotion);
    expect(result.status).toBe('passed');
    expect(result.kind === 'http' && result.evidence.url).toBe(`${server.url}/smoke/staging`);
    expect(seen).toEqual({ method: 'POST', header: '1.4.2', body: `{"digest":"${promotion.digest}"}` });
  });

  it('GIVEN a redirect to a healthy page WHEN it is checked THEN it is followed, unless followRedirects is false', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/') {
        res.writeHead(302, { location: '/ready' });
        res.end();
      } else res.end('ok');
    });
    const result = await runCheck(parseCheck({ kind: 'http', url: server.url, ...quick }), promotion);
    expect(result.status).toBe('passed');

    const unfollowed = parseCheck({
      kind: 'http',
      url: server.url,
      followRedirects: false,
      expectStatus: 302,
      ...quick,
    });
    expect((await runCheck(unfollowed, promotion)).status).toBe('passed');
    const strict = parseCheck({ kind: 'http', url: server.url, followRedirects: false, ...quick });
    expect((await runCheck(strict, promotion)).reason).toBe('expected status 200-299, got 302');
  });

  it('GIVEN a check waiting on a hanging server WHEN its signal aborts THEN it rejects as cancelled, with no result', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const running = runCheck(parseCheck({ kind: 'http', url: server.url, timeout: '1m', retries: 0 }), promotion, {
      signal: controller.signal,
    });
    const settled = running.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    while (server.requests() === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const outcome = await settled;
    expect(outcome).toBeInstanceOf(CheckCancelledError);
    expect((outcome as CheckCancelledError).code).toBe('check_cancelled');
  });

  it('GIVEN a check between attempts WHEN its signal aborts during the wait THEN it rejects as cancelled', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const controller = new AbortController();
    const result = runCheck(parseCheck({ kind: 'http', url: server.url, retries: 5, interval: '1m' }), promotion, {
      signal: controller.signal,
      sleep: async (_d, signal) => {
        controller.abort();
        signal?.throwIfAborted();
      },
    });
    await expect(result).rejects.toBeInstanceOf(CheckCancelledError);
    expect(server.requests()).toBe(1);
  });
});
