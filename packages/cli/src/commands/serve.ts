import { useGitSpawnHelper } from '@gantry/git';
import { startServer } from '@gantry/server';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import type { GlobalOptions } from '../runtime.js';
import { openCliRuntime } from '../runtime.js';

export interface ServeFlags {
  readonly port?: string;
  readonly host?: string;
}

/** Runs the server until SIGINT/SIGTERM; resolves with the exit code once it has closed. */
export async function serveCommand(io: Io, g: GlobalOptions, o: ServeFlags): Promise<number> {
  // git commands start from a small helper process: spawning them here stops the event loop
  // for 7-30 ms each in a large, busy server (a fleet's start runs 200, each reconcile 50)
  useGitSpawnHelper();
  const rt = await openCliRuntime(io, g, 'info');
  const started = Date.now();
  const server = await startServer({
    runtime: rt,
    defaultMetrics: true,
    // listening while every pipeline is read: a fleet's first read takes tens of seconds
    observeBeforeListening: false,
    ...(o.port !== undefined ? { port: Number(o.port) } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
  });
  io.err(
    `gantry serving ${rt.system.pipelines.length} pipeline(s) on ${server.url}` +
      `${server.deps.open ? ' (no API token exists: loopback only, everyone is admin)' : ''}; reading them\n`,
  );
  server.observed.then(
    () => io.err(`every pipeline read in ${((Date.now() - started) / 1000).toFixed(1)} s: ready\n`),
    () => undefined, // logged by the server
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.err('stopping: finishing running promotions\n');
  await server.close();
  await rt.close();
  return EXIT.ok;
}
