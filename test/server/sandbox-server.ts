import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox } from '@gantry/cli';
import type { Runtime } from '@gantry/config';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { RunningServer, StartServerOptions } from '@gantry/server';
import { startServer } from '@gantry/server';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';

export interface SandboxServer {
  readonly dir: string;
  readonly bare: string;
  readonly runtime: Runtime;
  readonly server: RunningServer;
  /** `app.request` with JSON helpers. */
  api(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  restart(options?: Partial<StartServerOptions>): Promise<SandboxServer>;
  close(): Promise<void>;
}

/** A YAML sandbox with a server on it, served through `app.request()` (no port) unless asked to listen. */
export async function sandboxServer(
  o: { serverYaml?: string; listen?: boolean; tmp?: TempDir } = {},
): Promise<SandboxServer> {
  const tmp = o.tmp ?? (await tempDir('gantry-server-'));
  const dir = join(tmp.path, 'sandbox');
  if (!o.tmp) {
    await initSandbox(dir, { yaml: true });
    if (o.serverYaml) await appendFile(join(dir, 'gantry.yaml'), o.serverYaml);
  }
  return open(tmp, dir, { listen: o.listen ?? false });
}

async function open(tmp: TempDir, dir: string, extra: Partial<StartServerOptions>): Promise<SandboxServer> {
  const runtime = await openRuntime({ cwd: dir, env: {}, logger: silentLogger });
  const server = await startServer({ runtime, port: 0, ...extra });
  const self: SandboxServer = {
    dir,
    bare: join(dir, 'config.git'),
    runtime,
    server,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return Promise.resolve(server.app.request(path, { ...init, headers, ...(body !== undefined ? { body } : {}) }));
    },
    async restart(options = {}) {
      await server.close();
      await runtime.close();
      return open(tmp, dir, { listen: false, ...options });
    },
    async close() {
      await server.close();
      await runtime.close();
      await tmp.remove();
    },
  };
  return self;
}
