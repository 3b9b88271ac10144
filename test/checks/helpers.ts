import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckContext } from '@gantry/checks';

/** A promotion as the lifecycle would describe it. */
export const promotion: CheckContext = {
  pipeline: 'shop',
  phase: 'staging',
  promotionId: '01JTESTPROMOTION',
  version: '1.4.2',
  digest: 'sha256:4e2f0c8a9b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f',
  fromVersion: '1.4.1',
  fromDigest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  upstream: 'dev',
  commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
};

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Requests received so far. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/** A real HTTP server on a free 127.0.0.1 port; `close` also drops open (hanging) connections. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<LocalServer> {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    handler(req, res, count);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads a request body. */
export async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
