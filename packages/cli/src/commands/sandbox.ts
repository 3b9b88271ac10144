import { resolve } from 'node:path';
import { GantryError, shortDigest } from '@gantry/core';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { DEFAULT_SERVER, sandboxDeploy } from '../sandbox/deploy.js';
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

export interface SandboxDeployFlags {
  readonly fail?: boolean;
  readonly argocd?: boolean;
  readonly flux?: boolean;
  readonly commit?: string;
  readonly json?: boolean;
}

/** `gantry sandbox deploy`: the sandbox plays Flux (or Argo CD) for a running server. */
export async function sandboxDeployCommand(io: Io, dir: string, phase: string, o: SandboxDeployFlags): Promise<number> {
  if (o.argocd && o.flux)
    throw new GantryError('invalid_request', 'give --flux or --argocd, not both', { field: 'argocd' });
  const token = io.env.GANTRY_TOKEN;
  const r = await sandboxDeploy({
    dir: resolve(io.cwd, dir),
    phase,
    server: io.env.GANTRY_SERVER ?? DEFAULT_SERVER,
    env: io.env,
    ...(token ? { token } : {}),
    ...(o.fail ? { fail: true } : {}),
    ...(o.argocd ? { as: 'argocd' as const } : o.flux ? { as: 'flux' as const } : {}),
    ...(o.commit ? { commit: o.commit } : {}),
  });
  if (o.json) {
    io.out(toJson(r));
    return EXIT.ok;
  }
  io.out(`${r.object} reports ${r.pipeline}/${r.phase} at commit ${r.commit.slice(0, 12)} (as ${r.deployer} would)\n`);
  const width = Math.max(...r.events.map((e) => e.reason.length));
  for (const e of r.events) {
    const settled = e.response.settled.length;
    const what = e.response.duplicate
      ? 'already recorded'
      : e.response.matched.length === 0
        ? 'recorded as unmatched: no phase names this object'
        : `settled ${settled} promotion${settled === 1 ? '' : 's'}`;
    io.out(`  ${e.reason.padEnd(width)}  -> ${e.response.state.padEnd(8)} (${e.status}; ${what})\n`);
  }
  return EXIT.ok;
}
