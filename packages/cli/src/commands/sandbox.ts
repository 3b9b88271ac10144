import { resolve } from 'node:path';
import { shortDigest } from '@gantry/core';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { initSandbox } from '../sandbox/init.js';
import { pushSandboxImage } from '../sandbox/push.js';

export async function sandboxInitCommand(io: Io, dir: string, o: { yaml?: boolean; json?: boolean }): Promise<number> {
  const info = await initSandbox(resolve(io.cwd, dir), { yaml: Boolean(o.yaml) });
  if (o.json) io.out(toJson(info));
  else {
    io.out(
      [
        `sandbox ready in ${info.dir}`,
        `  config repository  ${info.configRepository} (env/staging, env/production at app@${shortDigest(info.digest)})`,
        `  registry           ${info.registry} (app:latest = ${info.digest})`,
        `  pipelines          ${info.files.join(', ')}`,
        `next: cd ${dir} && gantry status`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

export async function sandboxPushCommand(io: Io, dir: string, o: { json?: boolean }): Promise<number> {
  const digest = await pushSandboxImage(resolve(io.cwd, dir));
  io.out(o.json ? toJson({ repository: 'app', tag: 'latest', digest }) : `pushed app:latest = ${digest}\n`);
  return EXIT.ok;
}
