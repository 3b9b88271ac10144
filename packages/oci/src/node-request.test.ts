import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeRequest, RequestTimeoutError } from './node-request.js';

/** A server that sends its headers and the start of a body, then nothing more. */
async function stalling(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"half":');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('reads through the kept-alive agent', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  it('GIVEN an answer whose body stalls WHEN the time runs out THEN the read fails as timed out', async () => {
    const s = await stalling();
    server = s.server;
    const e = await nodeRequest('GET', new URL(`${s.url}/v2/a/manifests/latest`), {}, { timeoutMs: 200 }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(RequestTimeoutError);
  });

  it("GIVEN the caller's signal WHEN it aborts during the read THEN the read fails with the signal's reason", async () => {
    const s = await stalling();
    server = s.server;
    const controller = new AbortController();
    const read = nodeRequest('GET', new URL(`${s.url}/v2/a/manifests/latest`), {}, { signal: controller.signal });
    const reason = new Error('stopped');
    setTimeout(() => controller.abort(reason), 50);
    await expect(read).rejects.toBe(reason);
  });
});
