import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { initSandbox } from '../sandbox/init.js';
import { pushSandboxImage } from '../sandbox/push.js';
import { diffCommand } from './diff.js';
import { promoteCommand } from './promote.js';
import { serveCommand } from './serve.js';
import { statusCommand } from './status.js';

/**
 * Gantry's main job on embedded defaults: a sandbox config repository and registry in
 * `.gantry/sandbox`, then a new image flows staging -> production, each step printed.
 */
export async function demoCommand(io: Io, o: { dir?: string; serve?: boolean; port?: string }): Promise<number> {
  const dir = o.dir ?? join(io.cwd, '.gantry', 'sandbox');
  const step = (text: string) => io.out(`\n${io.color ? pc.bold(pc.cyan(`== ${text}`)) : `== ${text}`}\n`);
  if (!existsSync(join(dir, 'gantry.yaml'))) {
    step(`gantry sandbox init ${dir}`);
    const info = await initSandbox(dir);
    io.out(`config repository ${info.configRepository}, registry ${info.registry}\n`);
  }
  const g = { config: join(dir, 'gantry.yaml') };
  const sub = { ...io, cwd: dir };
  const steps: Array<[string, () => Promise<number>]> = [
    ['gantry status', () => statusCommand(sub, g, undefined, {})],
    [
      'gantry sandbox push (CI publishes a new app:latest)',
      async () => {
        io.out(`pushed app:latest = ${await pushSandboxImage(dir)}\n`);
        return EXIT.ok;
      },
    ],
    ['gantry status', () => statusCommand(sub, g, undefined, {})],
    ['gantry diff app staging', () => diffCommand(sub, g, 'app', 'staging', {})],
    ['gantry promote app staging', () => promoteCommand(sub, g, 'app', 'staging', {})],
    ['gantry promote app production', () => promoteCommand(sub, g, 'app', 'production', {})],
    ['gantry status', () => statusCommand(sub, g, undefined, {})],
  ];
  for (const [title, run] of steps) {
    step(title);
    const code = await run();
    if (code !== EXIT.ok) return code;
  }
  io.out(`\nThe sandbox stays in ${dir}: cd there and try gantry status, diff and promote yourself.\n`);
  if (!o.serve) return EXIT.ok;
  step('gantry serve (the API and the dashboard on the sandbox; Ctrl-C stops it)');
  return serveCommand(sub, g, { port: o.port ?? '8080' });
}
