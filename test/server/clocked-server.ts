import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runtime } from '@gantry/config';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { RunningServer } from '@gantry/server';
import { startServer } from '@gantry/server';

/** A clock the test moves: `set` jumps to an instant, `advance` moves on by milliseconds. */
export interface TestClock {
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(start: string): TestClock {
  let now = Date.parse(start);
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (iso) => {
    now = Date.parse(iso);
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

export interface ClockedServer {
  readonly runtime: Runtime;
  readonly server: RunningServer;
  /** `app.request` with a bearer token and a JSON body. */
  api(path: string, init?: { method?: string; token?: string; json?: unknown }): Promise<Response>;
  /** Tokens by name, created with the roles asked for. */
  readonly tokens: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Writes `yaml` as gantry.yaml in `dir`, starts a server on it with `clock` (no port), and creates tokens. */
export async function clockedServer(
  dir: string,
  yaml: string,
  clock: () => Date,
  people: Readonly<Record<string, 'viewer' | 'promoter' | 'admin'>>,
): Promise<ClockedServer> {
  await writeFile(join(dir, 'gantry.yaml'), yaml);
  const runtime = await openRuntime({ cwd: dir, env: {}, logger: silentLogger });
  const server = await startServer({ runtime, listen: false, clock });
  const tokens: Record<string, string> = {};
  for (const [name, role] of Object.entries(people))
    tokens[name] = (await server.store.createToken({ name, role })).token;
  return {
    runtime,
    server,
    tokens,
    api(path, init = {}) {
      const headers = new Headers();
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      if (init.json !== undefined) headers.set('content-type', 'application/json');
      return Promise.resolve(
        server.app.request(path, {
          method: init.method ?? 'GET',
          headers,
          ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
        }),
      );
    },
    async close() {
      await server.close();
      await runtime.close();
    },
  };
}
