import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duration } from '@gantry/core';
import type { Clock, NotificationEvent, Sleep } from '@gantry/notify';

/** What a receiver answers to its n-th request (1-based). */
export interface ReceiverAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Holds the answer until this resolves (a slow receiver). */
  readonly hold?: Promise<void>;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw bytes as received: signatures are checked on these. */
  readonly raw: Buffer;
  json(): unknown;
}

export interface Receiver {
  readonly url: string;
  readonly received: readonly ReceivedRequest[];
  stop(): Promise<void>;
}

/** A webhook receiver on a free 127.0.0.1 port that records every request and answers as told. */
export async function startReceiver(
  answer: (n: number) => ReceiverAnswer = () => ({ status: 200 }),
): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        raw,
        json: () => JSON.parse(raw.toString('utf8')),
      });
      const a = answer(received.length);
      void (a.hold ?? Promise.resolve()).then(() => {
        res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
        res.end(a.body ?? (a.status < 300 ? 'ok' : 'error'));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/T000/B000/secret-part`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: Sleep; waits: Duration[] } {
  const waits: Duration[] = [];
  return {
    waits,
    sleep: async (d) => {
      waits.push(d);
    },
  };
}

/** A clock that stands still unless moved. */
export function fixedClock(iso = '2025-01-02T03:04:05.000Z'): Clock & { advance(ms: number): void } {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
}

const SHA = 'a'.repeat(40);

/** A promotion of web 1.2.3 -> 1.2.4 into production, by alice; override what the test is about. */
export function succeeded(overrides: Partial<Extract<NotificationEvent, { type: 'promotion.succeeded' }>> = {}) {
  return {
    type: 'promotion.succeeded',
    promotionId: '0b6a3c1e-2f4d-4c8e-9a7b-5d1e3f2a4b6c',
    pipeline: 'web',
    phase: 'production',
    fromPhase: 'staging',
    from: { version: '1.2.3', digest: `sha256:${'1'.repeat(64)}` },
    to: { version: '1.2.4', digest: `sha256:${'2'.repeat(64)}` },
    trigger: { kind: 'person', actor: 'alice' },
    author: { name: 'Bob Builder', email: 'bob@example.com', login: 'bob' },
    sourceCommit: { sha: SHA, repository: 'acme/web' },
    occurredAt: '2025-01-02T03:04:00.000Z',
    ...overrides,
  } satisfies NotificationEvent;
}

export function verificationFailed(
  overrides: Partial<Extract<NotificationEvent, { type: 'verification.failed' }>> = {},
): NotificationEvent {
  const { type: _type, ...base } = succeeded();
  return {
    ...base,
    type: 'verification.failed',
    check: { name: 'smoke', kind: 'command', message: 'exited 1', output: 'GET /health -> 503\n' },
    ...overrides,
  };
}
