import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '@gantry/server';
import pc from 'picocolors';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { openCliRuntime } from '../runtime.js';
import { initSandbox } from '../sandbox/init.js';
import { pushSandboxImage } from '../sandbox/push.js';
import { diffCommand } from './diff.js';
import { promoteCommand } from './promote.js';
import { sandboxDeployCommand } from './sandbox.js';
import { statusCommand } from './status.js';
import { trackCommand } from './track.js';

type Steps = Array<[string, () => Promise<number>]>;

/**
 * Gantry's main job on embedded defaults: a sandbox config repository and registry in
 * `.gantry/sandbox`, a new image promoted to staging; then a server in this process, the
 * sandbox playing Flux and Argo CD, and `gantry track` watching each version go pushed ->
 * applied -> healthy -> verified, as CI would.
 */
export async function demoCommand(io: Io, o: { dir?: string; serve?: boolean; port?: string }): Promise<number> {
  const dir = o.dir ?? join(io.cwd, '.gantry', 'sandbox');
  const step = (text: string) => io.out(`\n${io.color ? pc.bold(pc.cyan(`== ${text}`)) : `== ${text}`}\n`);
  const run = async (steps: Steps) => {
    for (const [title, fn] of steps) {
      step(title);
      const code = await fn();
      if (code !== EXIT.ok) return code;
    }
    return EXIT.ok;
  };
  if (!existsSync(join(dir, 'gantry.yaml'))) {
    step(`gantry sandbox init ${dir}`);
    const info = await initSandbox(dir);
    io.out(`config repository ${info.configRepository}, registry ${info.registry}\n`);
  }
  const g = { config: join(dir, 'gantry.yaml') };
  const sub = { ...io, cwd: dir };
  const local = await run([
    ['gantry status', () => statusCommand(sub, g, undefined, {})],
    [
      'gantry sandbox push (CI publishes a new app:latest)',
      async () => {
        io.out(`pushed app:latest = ${await pushSandboxImage(dir)}\n`);
        return EXIT.ok;
      },
    ],
    ['gantry diff app staging', () => diffCommand(sub, g, 'app', 'staging', {})],
    ['gantry promote app staging', () => promoteCommand(sub, g, 'app', 'staging', {})],
  ]);
  if (local !== EXIT.ok) return local;

  step('gantry serve (the API, the dashboard and the deployer webhooks, in this process)');
  const rt = await openCliRuntime(sub, g);
  const server = await startServer({ runtime: rt, port: Number(o.port ?? 8080) }).catch(async (e: unknown) => {
    await rt.close();
    throw e;
  });
  try {
    const url = server.url ?? '';
    io.out(`serving on ${url}; the commands below ask it (GANTRY_SERVER=${url})\n`);
    const remote = { ...sub, env: { ...sub.env, GANTRY_SERVER: url } };
    const code = await run([
      [
        'gantry track app staging, while Flux reports on staging (gantry sandbox deploy . staging)',
        () => trackWhileDeploying(remote, g, dir, 'staging'),
      ],
      ['gantry promote app production --wait', () => promoteCommand(remote, g, 'app', 'production', { wait: true })],
      [
        'gantry track app production, while Argo CD reports on production (gantry sandbox deploy . production)',
        () => trackWhileDeploying(remote, g, dir, 'production'),
      ],
      ['gantry status', () => statusCommand(remote, g, undefined, {})],
    ]);
    if (code !== EXIT.ok) return code;
    io.out(`\nThe sandbox stays in ${dir}: cd there and try gantry status, diff, promote and track yourself.\n`);
    if (!o.serve) return EXIT.ok;
    step(`the API and the dashboard on ${url} (Ctrl-C stops it)`);
    io.out(
      [
        `try it in another terminal, in ${dir}:`,
        `  export GANTRY_SERVER=${url}`,
        '  gantry sandbox push . && gantry promote app staging',
        '  gantry track app staging &        # waits for the deployer',
        '  gantry sandbox deploy . staging   # Flux reports (--fail: the health check fails)',
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.err('stopping: finishing running promotions\n');
    return EXIT.ok;
  } finally {
    await server.close();
    await rt.close();
  }
}

/**
 * What CI would see: `gantry track` follows the phase's newest promotion while the sandbox,
 * playing the deployer, reports on its commit. Track's lines wait while the deployer's print,
 * so the output reads in order.
 */
async function trackWhileDeploying(io: Io, g: { config: string }, dir: string, phase: string): Promise<number> {
  const held: string[] = [];
  let holding = false;
  // ends tracking if the deployer's part fails, so nothing waits for the timeout
  const stop = new AbortController();
  let started: () => void = () => {};
  const firstLine = new Promise<void>((resolve) => {
    started = resolve;
  });
  const tracked = trackCommand(
    {
      ...io,
      out: (t) => {
        started();
        if (holding) held.push(t);
        else io.out(t);
      },
    },
    g,
    'app',
    phase,
    { timeout: '2m' },
    undefined,
    stop.signal,
  );
  // track has read the promotion (and listens): its first lines are out
  await Promise.race([firstLine, tracked]);
  await new Promise((r) => setImmediate(r));
  holding = true;
  try {
    const command = `$ gantry sandbox deploy . ${phase}`;
    io.out(`${io.color ? pc.magenta(command) : command}\n`);
    const deployed = await sandboxDeployCommand({ ...io, cwd: dir }, '.', phase, {});
    if (deployed !== EXIT.ok) {
      stop.abort();
      await tracked.catch(() => undefined);
      return deployed;
    }
  } catch (e) {
    stop.abort();
    await tracked.catch(() => undefined);
    throw e;
  } finally {
    holding = false;
    for (const t of held.splice(0)) io.out(t);
  }
  return tracked;
}
